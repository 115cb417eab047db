// class-transformer `@Transform` functions shared by the DTOs.

/** Trims surrounding whitespace from a string; other values pass through to validation. */
export const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;

/** Trims and lower-cases a string (e-mail addresses, genres). */
export const lower = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim().toLowerCase() : value;
