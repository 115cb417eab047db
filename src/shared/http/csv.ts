import { stringify, type Options } from 'csv-stringify';
import type { FastifyReply } from 'fastify';

/** Whether the client asked for CSV (`Accept: text/csv`). */
export function wantsCsv(accept: string | undefined): boolean {
  return accept?.split(',').some((t) => t.trim().startsWith('text/csv')) ?? false;
}

/**
 * How every CSV of the API is written: quoted where needed, UTF-8 with a BOM for spreadsheets,
 * and cells that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR and their
 * full-width forms; OWASP "CSV injection") prefixed with `'`, so a studio named
 * `=HYPERLINK(…)` is shown, not executed. Numbers stay numbers.
 */
export const CSV_OPTIONS: Options = { bom: true, quoted_match: /[",\r\n]/, escape_formulas: true };

/** Streams `rows` as an attachment `<name>.csv`. */
export async function sendCsv(
  reply: FastifyReply,
  name: string,
  columns: string[],
  rows: unknown[][],
): Promise<void> {
  const csv = stringify({ ...CSV_OPTIONS, header: true, columns });
  void reply
    .header('Content-Type', 'text/csv; charset=utf-8')
    .header('Content-Disposition', `attachment; filename="${name}.csv"`);
  for (const row of rows) csv.write(row);
  csv.end();
  await reply.send(csv);
}
