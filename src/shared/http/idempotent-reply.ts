import type { FastifyReply } from 'fastify';

/** The answer to a request made with an Idempotency-Key: the first response, or its replay. */
export interface IdempotentResult<T> {
  replayed: boolean;
  statusCode: number;
  body: T;
}

/**
 * Sends an idempotent request's answer with the status code it was first given (stored with the
 * key) and, on a replay, `Idempotent-Replayed: true`. Cache-Control is bootstrap's `no-store`.
 */
export async function sendIdempotent<T>(reply: FastifyReply, result: IdempotentResult<T>): Promise<void> {
  if (result.replayed) void reply.header('Idempotent-Replayed', 'true');
  await reply.status(result.statusCode).send(result.body);
}
