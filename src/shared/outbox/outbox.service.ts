import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EventPayloads, EventType } from './events';

@Injectable()
export class OutboxService {
  /** Writes the event in the caller's transaction: it exists exactly when the change commits. */
  async emit<T extends EventType>(em: EntityManager, type: T, payload: EventPayloads[T]): Promise<string> {
    const [row] = await em.query<{ id: string }[]>(
      'INSERT INTO outbox (type, payload) VALUES ($1, $2::jsonb) RETURNING id',
      [type, JSON.stringify(payload)],
    );
    return row!.id;
  }
}
