import { registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';

const FIRST = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const SECOND = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

/**
 * Kazakhstan BIN/IIN check: 12 digits; the 12th is the weighted sum of the first 11 mod 11
 * (weights 1..11; if that gives 10, weights 3..11,1,2; if 10 again the number is invalid).
 */
export function isValidKzBin(value: string): boolean {
  if (!/^\d{12}$/.test(value)) return false;
  const digits = [...value].map(Number);
  const check = (weights: number[]): number => weights.reduce((sum, w, i) => sum + w * digits[i]!, 0) % 11;
  let control = check(FIRST);
  if (control === 10) control = check(SECOND);
  return control !== 10 && control === digits[11];
}

/** Validates `bin` as a Kazakhstan BIN when the object's `country` is KZ. */
export function IsKzBin(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isKzBin',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: 'bin must be a valid 12-digit Kazakhstan BIN', ...options },
      validator: {
        validate: (v: unknown, args: ValidationArguments) =>
          (args.object as { country?: unknown }).country !== 'KZ' ||
          (typeof v === 'string' && isValidKzBin(v)),
      },
    });
}
