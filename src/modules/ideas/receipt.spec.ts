import { createHash } from 'node:crypto';
import { receiptCanonical, receiptMessage, sha256Hex } from './receipt';

describe('receipt', () => {
  const fields = {
    submitterName: 'Айгерим',
    title: 'Қазақ  ертегілері 🎬',
    logline: 'a "quoted" line\nand a second',
    description: 'Ёлка',
    callId: '00000000-0000-4000-8000-000000000001',
  };

  it('is RFC 8785 JSON: keys sorted, no spaces, text kept as given', () => {
    expect(receiptCanonical(fields)).toBe(
      '{"callId":"00000000-0000-4000-8000-000000000001","description":"Ёлка",' +
        '"logline":"a \\"quoted\\" line\\nand a second","submitterName":"Айгерим",' +
        '"title":"Қазақ  ертегілері 🎬"}',
    );
  });

  it('hashes UTF-8 bytes, so NFC and NFD spellings differ', () => {
    const nfc = receiptCanonical(fields);
    const nfd = receiptCanonical({ ...fields, description: fields.description.normalize('NFD') });
    expect(nfd).not.toBe(nfc);
    expect(sha256Hex(nfc)).toBe(createHash('sha256').update(Buffer.from(nfc, 'utf8')).digest('hex'));
    expect(sha256Hex(nfd)).not.toBe(sha256Hex(nfc));
  });

  it('signs a versioned, line-separated message', () => {
    expect(receiptMessage('ab', '2025-01-01T00:00:00.000Z', 'id')).toBe(
      'efir-idea-receipt.v1\nab\n2025-01-01T00:00:00.000Z\nid',
    );
  });
});
