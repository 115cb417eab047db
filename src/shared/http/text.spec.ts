import { plainToInstance } from 'class-transformer';
import { IsOptional, IsString, validate } from 'class-validator';
import { IsFreeText, IsSingleLineText, textProblem } from './text';
import { flattenValidationErrors, validationOptions } from './validation';

class Sample {
  @IsOptional()
  @IsString()
  @IsSingleLineText()
  title?: string;

  @IsOptional()
  @IsString()
  @IsFreeText()
  notes?: string;

  @IsOptional()
  @IsString({ each: true })
  @IsSingleLineText({ each: true })
  platforms?: string[];
}

async function errorsOf(body: Record<string, unknown>): Promise<{ field: string; message: string }[]> {
  const errors = await validate(plainToInstance(Sample, body), validationOptions);
  return flattenValidationErrors(errors);
}

const REFUSED_EVERYWHERE: [string, string, RegExp][] = [
  ['NUL', '\u0000', /control characters \(U\+0000\)/],
  ['BEL', '\u0007', /control characters \(U\+0007\)/],
  ['ESC', '\u001b[31m', /control characters \(U\+001B\)/],
  ['DEL', '\u007f', /control characters \(U\+007F\)/],
  ['NEL (C1, U+0085)', '\u0085', /control characters \(U\+0085\)/],
  ['CSI (C1, U+009B)', '\u009b', /control characters \(U\+009B\)/],
  ['RLO (U+202E)', '\u202e', /bidirectional text controls \(U\+202E\)/],
  ['LRE (U+202A)', '\u202a', /bidirectional text controls \(U\+202A\)/],
  ['LRI (U+2066)', '\u2066', /bidirectional text controls \(U\+2066\)/],
  ['PDI (U+2069)', '\u2069', /bidirectional text controls \(U\+2069\)/],
  ['LRM (U+200E)', '\u200e', /bidirectional text controls \(U\+200E\)/],
  ['RLM (U+200F)', '\u200f', /bidirectional text controls \(U\+200F\)/],
  ['ALM (U+061C)', '\u061c', /bidirectional text controls \(U\+061C\)/],
  ['a lone high surrogate', '\ud800', /unpaired surrogates \(U\+D800\)/],
  ['a lone low surrogate', '\udfff', /unpaired surrogates \(U\+DFFF\)/],
];

const ALLOWED_EVERYWHERE: [string, string][] = [
  ['Kazakh letters', 'Ә ғ қ ң ө ұ ү һ і — Дала әуендері'],
  ['Russian letters', 'Документальный сериал о песнях степи, ёж'],
  ['emoji, with a ZWJ sequence and a flag', 'Жаңа маусым 🎬 👩‍👩‍👧 🇰🇿'],
  ['Arabic and Hebrew text without controls', 'مرحبا שלום'],
  ['punctuation and symbols', '«Ep. 1» — 50% off, 100 ₸ & <b>'],
];

describe('text hygiene', () => {
  describe('textProblem', () => {
    it.each(REFUSED_EVERYWHERE)('refuses %s in single-line and in long text', (_name, bad, why) => {
      const value = `invoice${bad}fdp.exe`;
      expect(textProblem(value)).toMatch(why);
      expect(textProblem(value, { multiline: true })).toMatch(why);
    });

    it.each(ALLOWED_EVERYWHERE)('accepts %s in both', (_name, good) => {
      expect(textProblem(good)).toBeUndefined();
      expect(textProblem(good, { multiline: true })).toBeUndefined();
    });

    it.each([
      ['a newline', 'one\ntwo', 'U+000A'],
      ['a tab', 'one\ttwo', 'U+0009'],
      ['a carriage return', 'one\rtwo', 'U+000D'],
      ['a line separator', 'one\u2028two', 'U+2028'],
      ['a paragraph separator', 'one\u2029two', 'U+2029'],
    ])('refuses %s in a single-line field and accepts it in long text', (_name, value, at) => {
      expect(textProblem(value)).toBe(`line breaks or tabs (${at}): it must be a single line`);
      expect(textProblem(value, { multiline: true })).toBeUndefined();
    });

    it('accepts CRLF paragraphs and tabs in long text', () => {
      expect(textProblem('Episode 1\r\n\tIntro\r\n\r\nEpisode 2\n', { multiline: true })).toBeUndefined();
    });

    it('names the first refused character', () => {
      expect(textProblem('a\u202eb\u0000c')).toBe('bidirectional text controls (U+202E)');
    });

    it('leaves values that are not strings to @IsString', () => {
      expect(textProblem(42)).toBeUndefined();
      expect(textProblem(undefined)).toBeUndefined();
    });
  });

  describe('the decorators', () => {
    it('refuse a field with a message naming the field and the character class', async () => {
      expect(await errorsOf({ title: 'invoice\u202efdp.exe' })).toEqual([
        { field: 'title', message: 'title must not contain bidirectional text controls (U+202E)' },
      ]);
      expect(await errorsOf({ notes: 'ring\u0007' })).toEqual([
        { field: 'notes', message: 'notes must not contain control characters (U+0007)' },
      ]);
    });

    it('refuse a newline in a single-line field but not in long text', async () => {
      expect(await errorsOf({ title: 'one\ntwo' })).toEqual([
        {
          field: 'title',
          message: 'title must not contain line breaks or tabs (U+000A): it must be a single line',
        },
      ]);
      expect(await errorsOf({ notes: 'one\r\ntwo\tthree' })).toEqual([]);
    });

    it('check every item of a string array', async () => {
      expect(await errorsOf({ platforms: ['linear', 'vod\u0000'] })).toEqual([
        {
          field: 'platforms',
          message: 'each value in platforms must not contain control characters (U+0000)',
        },
      ]);
      expect(await errorsOf({ platforms: ['linear', 'vod', 'ТВ 🎬'] })).toEqual([]);
    });

    it('accept ordinary multilingual text', async () => {
      expect(
        await errorsOf({ title: 'Дала әуендері 🎬', notes: 'Қазақ даласының әндері.\nПесни степи.' }),
      ).toEqual([]);
    });

    it('report a wrong type once, through @IsString', async () => {
      expect(await errorsOf({ title: 42 })).toEqual([{ field: 'title', message: 'title must be a string' }]);
    });
  });
});
