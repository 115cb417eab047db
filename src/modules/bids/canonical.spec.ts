import fc from 'fast-check';
import { canonicalJson, commitment } from './canonical';

describe('canonicalJson', () => {
  it('sorts keys at every level and drops whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 'x', y: null }], c: true } })).toBe(
      '{"a":{"c":true,"d":[2,{"y":null,"z":"x"}]},"b":1}',
    );
  });

  it('does not depend on the order keys were written in', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer(), fc.boolean())), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(obj));
        expect(JSON.parse(canonicalJson(obj))).toEqual(obj);
      }),
    );
  });

  it('keeps Kazakh and Russian text as UTF-8 characters', () => {
    expect(canonicalJson({ t: 'Қазақ кино — фильм' })).toBe('{"t":"Қазақ кино — фильм"}');
  });

  it('refuses non-integer numbers', () => {
    expect(() => canonicalJson({ x: 1.5 })).toThrow();
  });
});

describe('commitment', () => {
  it('is the SHA-256 of nonce, a dot and the canonical JSON', () => {
    // echo -n 'n.{"a":1}' | sha256sum
    expect(commitment('n', { a: 1 })).toBe(
      '239756690db21eb4316b6b7ae54af2d35cf3c14f6ec771eca8cc630a3c2ad2fc',
    );
    expect(commitment('n1', { a: 1 })).not.toBe(commitment('n2', { a: 1 }));
  });
});
