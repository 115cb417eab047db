import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';

/** What a receipt proves was pitched: the text, to which call, by whom (never the e-mail). */
export interface ReceiptFields {
  callId: string;
  title: string;
  logline: string;
  description: string;
  submitterName: string;
}

/**
 * RFC 8785 (JCS) canonical JSON of the receipt fields: the exact string hashed. The text goes in
 * as received (no Unicode normalisation, no whitespace folding), so NFC and NFD spellings of one
 * word hash differently, as they are different bytes.
 */
export function receiptCanonical(f: ReceiptFields): string {
  const { callId, title, logline, description, submitterName } = f;
  return canonicalize({ callId, title, logline, description, submitterName })!;
}

/** Hex SHA-256 of the UTF-8 bytes of `text`. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The message Efir signs for a receipt (api.md "Receipt"); `receivedAt` is the ISO string returned. */
export function receiptMessage(sha256: string, receivedAt: string, ideaId: string): string {
  return `efir-idea-receipt.v1\n${sha256}\n${receivedAt}\n${ideaId}`;
}
