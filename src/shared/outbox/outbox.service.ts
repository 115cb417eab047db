import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EventPayloads, EventType } from './events';

@Injectable()
export class OutboxService {
  /**
   * Writes the event in the caller's transaction: it exists exactly when the change commits.
   * With `availableAt` in the future it is a scheduled event: the relay leaves it until then
   * (a durable delay that survives a Redis loss, unlike a delayed BullMQ job).
   */
  async emit<T extends EventType>(
    em: EntityManager,
    type: T,
    payload: EventPayloads[T],
    options: { availableAt?: string } = {},
  ): Promise<string> {
    const [row] = await em.query<{ id: string }[]>(
      `INSERT INTO outbox (type, payload, available_at) VALUES ($1, $2::jsonb, coalesce($3::timestamptz, now()))
       RETURNING id`,
      [type, JSON.stringify(payload), options.availableAt ?? null],
    );
    return row!.id;
  }

  /** Stamps an event handled (by a job that handles it outside the outbox consumer). */
  async markHandled(em: EntityManager, id: string): Promise<void> {
    await em.query('UPDATE outbox SET handled_at = now() WHERE id = $1 AND handled_at IS NULL', [id]);
  }
}
