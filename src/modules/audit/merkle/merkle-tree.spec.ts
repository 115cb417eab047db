import { randomInt } from 'node:crypto';
import { refLeafHash, refRoot, verifyConsistency, verifyInclusion } from '../../../../test/utils/rfc9162';
import { Frontier, consistencyPath, inclusionPath, leafHashOf, treeHash } from './merkle-tree';

const leavesOf = (n: number): Buffer[] => Array.from({ length: n }, (_, i) => leafHashOf(`leaf ${i}`));

const SIZES = [
  ...Array.from({ length: 70 }, (_, i) => i + 1),
  127,
  128,
  129,
  ...[0, 1, 2].map(() => randomInt(130, 600)),
];

describe('RFC 9162 Merkle tree', () => {
  it('hashes leaves as SHA-256(0x00 ‖ data)', () => {
    expect(leafHashOf('{"a":1}').equals(refLeafHash('{"a":1}'))).toBe(true);
    expect(treeHash([]).toString('hex')).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });

  it.each(SIZES)('computes the root of %i leaves, also incrementally', (n) => {
    const leaves = leavesOf(n);
    const expected = refRoot(leaves);
    expect(treeHash(leaves).equals(expected)).toBe(true);
    const frontier = new Frontier();
    for (const l of leaves) frontier.append(l);
    expect(frontier.size).toBe(n);
    expect(frontier.root().equals(expected)).toBe(true);
  });

  it.each(SIZES)('gives inclusion proofs for every leaf of a tree of %i that the verifier accepts', (n) => {
    const leaves = leavesOf(n + 1);
    const root = refRoot(leaves.slice(0, n));
    const wrongRoot = refRoot(leaves);
    for (let m = 0; m < n; m++) {
      const path = inclusionPath(leaves, m, n);
      expect(verifyInclusion(m, n, leaves[m]!, path, root)).toBe(true);
      // A wrong leaf, a wrong index and a wrong size all fail.
      expect(verifyInclusion(m, n, leaves[n]!, path, root)).toBe(false);
      if (n > 1) expect(verifyInclusion((m + 1) % n, n, leaves[m]!, path, root)).toBe(false);
      expect(verifyInclusion(m, n + 1, leaves[m]!, path, wrongRoot)).toBe(false);
    }
  });

  it.each(SIZES)('gives consistency proofs from every smaller size to %i that the verifier accepts', (n) => {
    const leaves = leavesOf(n + 1);
    const roots = Array.from({ length: n + 2 }, (_, i) => refRoot(leaves.slice(0, i)));
    for (let m = 1; m <= n; m++) {
      const path = consistencyPath(leaves, m, n);
      expect(verifyConsistency(m, n, roots[m]!, roots[n]!, path)).toBe(true);
      // The same proof for other sizes, or against another root, fails.
      if (m > 1 && m < n) expect(verifyConsistency(m - 1, n, roots[m - 1]!, roots[n]!, path)).toBe(false);
      if (m < n) expect(verifyConsistency(m, n + 1, roots[m]!, roots[n + 1]!, path)).toBe(false);
      if (m < n) expect(verifyConsistency(m, n, roots[m]!, roots[n + 1]!, path)).toBe(false);
    }
  });

  it('refuses proofs outside the tree', () => {
    const leaves = leavesOf(5);
    expect(() => inclusionPath(leaves, 5, 5)).toThrow(RangeError);
    expect(() => inclusionPath(leaves, 0, 6)).toThrow(RangeError);
    expect(() => consistencyPath(leaves, 0, 5)).toThrow(RangeError);
    expect(() => consistencyPath(leaves, 4, 3)).toThrow(RangeError);
  });
});
