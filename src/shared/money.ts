import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Matches, Max, Min } from 'class-validator';

/** Amounts are integers in the currency's minor units (tiyn for KZT), never floating point. */
export interface Money {
  amount: number;
  currency: string;
}

export const DEFAULT_CURRENCY = 'KZT';

export class MoneyDto implements Money {
  /** Integer amount in minor units. */
  @ApiProperty({ example: 150000000 })
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  amount: number;

  /** ISO 4217 code. */
  @ApiProperty({ example: 'KZT' })
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code such as KZT' })
  currency: string;
}

/** pg returns int8 as a string; amounts stay below 2^53 (enforced by the DTOs). */
export const money = (amount: string | number | bigint, currency: string): Money => ({
  amount: Number(amount),
  currency,
});

/**
 * Splits `total` by whole-percent `shares` (summing to 100) into integer parts that sum to
 * `total` exactly: each part is rounded down and the remainder goes to the last one.
 */
export function splitByShares(total: bigint, shares: readonly number[]): bigint[] {
  if (!shares.length) return [];
  const parts = shares.map((s) => (total * BigInt(s)) / 100n);
  const assigned = parts.slice(0, -1).reduce((a, b) => a + b, 0n);
  parts[parts.length - 1] = total - assigned;
  return parts;
}
