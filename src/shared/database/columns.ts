import { Column, PrimaryColumn, type ColumnOptions } from 'typeorm';

// Shared column shapes, so every table spells ids and timestamps the same way.

export const UuidPk = (): PropertyDecorator =>
  PrimaryColumn({ type: 'uuid', default: () => 'gen_random_uuid()', primaryKeyConstraintName: undefined });

export const Timestamp = (name: string, options: ColumnOptions = {}): PropertyDecorator =>
  Column({ name, type: 'timestamptz', ...options });

/** created_at from the database clock (house rule: time by the database). */
export const CreatedAt = (): PropertyDecorator => Timestamp('created_at', { default: () => 'now()' });

/** bigint minor units; pg returns int8 as a string, so it stays a string until mapped to Money. */
export const MinorUnits = (name: string, options: ColumnOptions = {}): PropertyDecorator =>
  Column({ name, type: 'bigint', ...options });
