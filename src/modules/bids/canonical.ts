import { createHash, randomBytes } from 'node:crypto';

/**
 * Canonical JSON of a bid's content: object keys sorted by code point at every level, no
 * whitespace, arrays in order; values are only strings, integers, booleans and null. For such
 * values this equals RFC 8785 (JCS), so a studio can recompute its commitment with any JCS
 * library.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isSafeInteger(value))
      throw new Error('only integers are canonical');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** A fresh 32-byte nonce, hex. */
export const newNonce = (): string => randomBytes(32).toString('hex');

/**
 * hex SHA-256 of `nonce + "." + canonical JSON of the content`: the receipt, which a bidder
 * can recompute from its nonce and content.
 */
export function commitment(nonce: string, content: unknown): string {
  return createHash('sha256')
    .update(`${nonce}.${canonicalJson(content)}`, 'utf8')
    .digest('hex');
}
