import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import type { TestApp } from './app';

/** The lower-cased addresses of a parsed To/Cc header. */
const addressesOf = (to: AddressObject | AddressObject[] | undefined): string[] =>
  (Array.isArray(to) ? to : to ? [to] : []).flatMap((a) =>
    a.value.map((v) => v.address?.toLowerCase() ?? ''),
  );

/** The parsed .eml files in the app's mail dir addressed to `email`. */
export async function mailsTo(t: TestApp, email: string): Promise<ParsedMail[]> {
  const files = (await readdir(t.mailDir)).filter((f) => f.endsWith('.eml'));
  const hits: ParsedMail[] = [];
  for (const f of files) {
    const parsed = await simpleParser(await readFile(join(t.mailDir, f)));
    if (addressesOf(parsed.to).includes(email.toLowerCase())) hits.push(parsed);
  }
  return hits;
}
