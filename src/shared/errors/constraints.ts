import type { ErrorDef } from './domain-error';

// Rules about uniqueness and state live in named database constraints; this map turns a
// violation of one into its stable error code. Modules register their constraints at load.
const byConstraint = new Map<string, ErrorDef>();

export function mapConstraint(constraint: string, error: ErrorDef): void {
  byConstraint.set(constraint, error);
}

export function errorForConstraint(constraint: string | undefined): ErrorDef | undefined {
  return constraint === undefined ? undefined : byConstraint.get(constraint);
}
