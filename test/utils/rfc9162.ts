import { createHash } from 'node:crypto';

/**
 * An independent RFC 9162 verifier for tests: written from the RFC (§2.1.1 hashing, §2.1.3.2
 * inclusion and §2.1.4.2 consistency verification), importing nothing of src/.
 */

const h = (...parts: Buffer[]): Buffer => {
  const d = createHash('sha256');
  for (const p of parts) d.update(p);
  return d.digest();
};

export const refLeafHash = (data: Buffer | string): Buffer =>
  h(Buffer.from([0]), typeof data === 'string' ? Buffer.from(data, 'utf8') : data);

const node = (l: Buffer, r: Buffer): Buffer => h(Buffer.from([1]), l, r);

/** MTH(D[n]) of §2.1.1, over leaf hashes, computed naively. */
export function refRoot(leafHashes: readonly Buffer[]): Buffer {
  const n = leafHashes.length;
  if (n === 0) return h();
  if (n === 1) return leafHashes[0]!;
  let k = 1;
  while (k << 1 < n) k <<= 1;
  return node(refRoot(leafHashes.slice(0, k)), refRoot(leafHashes.slice(k)));
}

const lsb = (x: number): boolean => (x & 1) === 1;

/** §2.1.3.2: does `path` prove `leafHash` at `leafIndex` in the tree of `treeSize` with `root`? */
export function verifyInclusion(
  leafIndex: number,
  treeSize: number,
  leafHash: Buffer,
  path: readonly Buffer[],
  root: Buffer,
): boolean {
  if (leafIndex >= treeSize || leafIndex < 0) return false;
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = leafHash;
  for (const p of path) {
    if (sn === 0) return false;
    if (lsb(fn) || fn === sn) {
      r = node(p, r);
      if (!lsb(fn)) {
        while (!lsb(fn) && fn !== 0) {
          fn >>>= 1;
          sn >>>= 1;
        }
      }
    } else {
      r = node(r, p);
    }
    fn >>>= 1;
    sn >>>= 1;
  }
  return sn === 0 && r.equals(root);
}

/** §2.1.4.2: does `path` prove the tree of `second` with `secondRoot` extends the one of `first`? */
export function verifyConsistency(
  first: number,
  second: number,
  firstRoot: Buffer,
  secondRoot: Buffer,
  proof: readonly Buffer[],
): boolean {
  if (first < 1 || first > second) return false;
  if (first === second) return proof.length === 0 && firstRoot.equals(secondRoot);
  let path = [...proof];
  if ((first & (first - 1)) === 0) path = [firstRoot, ...path];
  if (path.length === 0) return false;
  let fn = first - 1;
  let sn = second - 1;
  while (lsb(fn)) {
    fn >>>= 1;
    sn >>>= 1;
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (lsb(fn) || fn === sn) {
      fr = node(c, fr);
      sr = node(c, sr);
      if (!lsb(fn)) {
        while (!lsb(fn) && fn !== 0) {
          fn >>>= 1;
          sn >>>= 1;
        }
      }
    } else {
      sr = node(sr, c);
    }
    fn >>>= 1;
    sn >>>= 1;
  }
  return sn === 0 && fr.equals(firstRoot) && sr.equals(secondRoot);
}
