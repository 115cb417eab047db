import { isValidKzBin } from './bin';

// Builds a valid BIN from 11 digits, by the rule itself, to test around known-good values.
function withCheckDigit(eleven: string): string | null {
  for (let d = 0; d <= 9; d++) if (isValidKzBin(eleven + d)) return eleven + d;
  return null;
}

describe('isValidKzBin', () => {
  it('accepts a BIN whose check digit matches the first weighting', () => {
    // 1·1+2·2+…: digits 00000000001 → sum 11 → 0
    expect(isValidKzBin('000000000011')).toBe(false);
    expect(isValidKzBin('000000000010')).toBe(true);
  });

  it('accepts published sample numbers', () => {
    expect(isValidKzBin('990740000683')).toBe(true);
    expect(isValidKzBin('940140000385')).toBe(true);
  });

  it('rejects a changed digit', () => {
    expect(isValidKzBin('990740000684')).toBe(false);
    expect(isValidKzBin('990740001683')).toBe(false);
  });

  it('uses the second weighting when the first gives 10', () => {
    // digits so that the first pass sums to 10 mod 11: 10 in position 10 → weight 10 · 1 = 10
    const eleven = '00000000010';
    const bin = withCheckDigit(eleven);
    expect(bin).not.toBeNull();
    // second pass: weight of position 10 is 1 → 1 mod 11 = 1
    expect(bin).toBe('000000000101');
  });

  it('rejects anything that is not 12 digits', () => {
    for (const v of ['', '12345678901', '1234567890123', '99074000068a', ' 990740000683']) {
      expect(isValidKzBin(v)).toBe(false);
    }
  });
});
