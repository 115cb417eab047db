import { nestsDeeperThan } from './json-body';

describe('nestsDeeperThan', () => {
  const nested = (n: number, open = '[', close = ']'): string => open.repeat(n) + close.repeat(n);

  it.each([
    ['an empty object', '{}', 1, false],
    ['4 levels, limit 4', '{"a":{"b":[1,2,{"c":null}]}}', 4, false],
    ['4 levels, limit 3', '{"a":{"b":[1,2,{"c":null}]}}', 3, true],
    ['32 arrays, limit 32', nested(32), 32, false],
    ['33 arrays, limit 32', nested(33), 32, true],
    ['3,000 objects, limit 32', nested(3000, '{"a":', '}'), 32, true],
  ])('%s: %s', (_label, text, limit, expected) => {
    expect(nestsDeeperThan(text, limit)).toBe(expected);
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    expect(nestsDeeperThan(JSON.stringify({ s: '[[[[{{{{' }), 2)).toBe(false);
    expect(nestsDeeperThan(JSON.stringify({ s: 'say \\"[[[[" and "\\\\' }), 2)).toBe(false);
    expect(nestsDeeperThan(JSON.stringify({ s: 'x"' + '['.repeat(50) }), 2)).toBe(false);
  });

  it('agrees with the depth of what JSON.parse builds', () => {
    const depth = (v: unknown): number =>
      v !== null && typeof v === 'object' ? 1 + Math.max(0, ...Object.values(v).map(depth)) : 0;
    const samples = [{ a: [[{ b: '}' }]] }, [[], [[['"[']]]], { k: { k: { k: {} } } }, 'plain', 7];
    for (const sample of samples) {
      const text = JSON.stringify(sample);
      const d = depth(sample);
      expect(nestsDeeperThan(text, d)).toBe(false);
      if (d > 0) expect(nestsDeeperThan(text, d - 1)).toBe(true);
    }
  });
});
