export class ReadinessDto {
  status: 'ok' | 'error';
  database: 'up' | 'down';
  redis: 'up' | 'down';
  queues?: Record<string, Record<string, number>>;
  /** Events due but not yet handed to the queue (scheduled ones are not counted before their time). */
  outboxBacklog?: number;
}
