import fc from 'fast-check';
import { splitByShares } from './money';

// Whole-percent shares that sum to 100.
const shares = fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 12 }).map((xs) => {
  const out: number[] = [];
  let left = 100;
  for (const x of xs) {
    if (left <= 0) break;
    const s = Math.min(x, left);
    out.push(s);
    left -= s;
  }
  if (left > 0) out.push(left);
  return out;
});

describe('splitByShares', () => {
  it('always sums exactly to the total, in non-negative integer parts', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: BigInt(Number.MAX_SAFE_INTEGER) }), shares, (total, s) => {
        const parts = splitByShares(total, s);
        expect(parts).toHaveLength(s.length);
        expect(parts.reduce((a, b) => a + b, 0n)).toBe(total);
        for (const p of parts) expect(p >= 0n).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('gives every part but the last its rounded-down share, the remainder to the last', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), shares, (total, s) => {
        const parts = splitByShares(total, s);
        s.slice(0, -1).forEach((share, i) => expect(parts[i]).toBe((total * BigInt(share)) / 100n));
        const last = parts[parts.length - 1]!;
        const exact = (total * BigInt(s[s.length - 1]!)) / 100n;
        expect(last - exact >= 0n && last - exact < BigInt(s.length)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('splits 100 000 001 tiyn 33/33/34 as 33 000 000, 33 000 000, 34 000 001', () => {
    expect(splitByShares(100_000_001n, [33, 33, 34])).toEqual([33_000_000n, 33_000_000n, 34_000_001n]);
  });
});
