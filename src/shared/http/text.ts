import { ValidateBy, type ValidationArguments, type ValidationOptions } from 'class-validator';

// Text hygiene (issue 11, item 8). Control characters reach logs, e-mails and CSV exports
// (BEL, ESC sequences), NUL makes PostgreSQL refuse the row, bidirectional controls make
// `invoice\u202Efdp.exe` display as `invoiceexe.pdf`, and a lone surrogate is not valid text.
// \p{Bidi_Control} is U+061C, U+200E, U+200F, U+202A–U+202E and U+2066–U+2069.
//
// Long text keeps \n, \t and \r: browsers send textarea line breaks as CRLF, and the text is
// stored as sent (no normalisation). U+2028/U+2029 are line breaks too, so single-line fields
// refuse them and long text keeps them.
const SINGLE_LINE_REFUSED = /[\p{Cc}\p{Cs}\p{Bidi_Control}\u2028\u2029]/u;
const FREE_TEXT_REFUSED = /(?![\t\n\r])[\p{Cc}\p{Cs}\p{Bidi_Control}]/u;

export interface TextRules {
  /** Allow \n, \r and \t (long text: synopses, notes, reasons). Default: a single line. */
  multiline?: boolean;
}

const codePoint = (ch: string): string =>
  `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * Why `value` is refused as text under `rules` ("control characters (U+001B)"), or undefined
 * if it is acceptable. Non-strings are not judged here (that is @IsString's job).
 */
export function textProblem(value: unknown, rules: TextRules = {}): string | undefined {
  if (typeof value !== 'string') return undefined;
  const found = (rules.multiline ? FREE_TEXT_REFUSED : SINGLE_LINE_REFUSED).exec(value)?.[0];
  if (found === undefined) return undefined;
  const at = codePoint(found);
  if (/[\t\n\r\u2028\u2029]/.test(found)) return `line breaks or tabs (${at}): it must be a single line`;
  if (/\p{Cc}/u.test(found)) return `control characters (${at})`;
  if (/\p{Bidi_Control}/u.test(found)) return `bidirectional text controls (${at})`;
  return `unpaired surrogates (${at}): it must be valid Unicode text`;
}

function firstProblem(value: unknown, rules: TextRules): string | undefined {
  if (!Array.isArray(value)) return textProblem(value, rules);
  for (const item of value as unknown[]) {
    const problem = textProblem(item, rules);
    if (problem) return problem;
  }
  return undefined;
}

/** Text that is safe to store, show and log; pair it with @IsString(). */
export function IsSafeText(rules: TextRules = {}, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: rules.multiline ? 'isFreeText' : 'isSingleLineText',
      validator: {
        validate: (value: unknown) => textProblem(value, rules) === undefined,
        defaultMessage: (args?: ValidationArguments) => {
          const each = options?.each ? 'each value in ' : '';
          const problem = firstProblem(args?.value, rules) ?? 'characters that are not allowed';
          return `${each}${args?.property ?? 'the value'} must not contain ${problem}`;
        },
      },
    },
    options,
  );
}

/** Names, titles, labels, references: no control character at all, no bidi controls. */
export const IsSingleLineText = (options?: ValidationOptions): PropertyDecorator =>
  IsSafeText({ multiline: false }, options);

/** Long text (synopses, notes, reasons, questions): newline, CR and tab allowed, nothing else. */
export const IsFreeText = (options?: ValidationOptions): PropertyDecorator =>
  IsSafeText({ multiline: true }, options);
