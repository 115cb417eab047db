import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { CommonErrors } from '../errors/common.errors';
import { DomainError, type FieldError } from '../errors/domain-error';

export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors) {
    const field = parent ? `${parent}.${e.property}` : e.property;
    for (const message of Object.values(e.constraints ?? {})) out.push({ field, message });
    if (e.children?.length) out.push(...flattenValidationErrors(e.children, field));
  }
  return out;
}

export function validationFailed(errors: ValidationError[]): DomainError {
  const list = flattenValidationErrors(errors);
  const detail = list.map((e) => `${e.field}: ${e.message}`).join('; ') || 'The request is invalid';
  return new DomainError(CommonErrors.VALIDATION_FAILED, detail, { errors: list });
}

export const validationOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  transform: true,
  validationError: { target: false, value: false },
};

/** Strict, global: unknown fields are refused, nested DTOs validated, errors listed per field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    ...validationOptions,
    exceptionFactory: validationFailed,
  });
}
