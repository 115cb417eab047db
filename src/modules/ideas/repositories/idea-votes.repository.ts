import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** A vote request found by its token's hash, as of the database clock. */
export interface VoteRequestRow {
  id: string;
  idea_id: string;
  email_hmac: string;
  confirmed: boolean;
  expired: boolean;
}

/** The SQL of votes: pending requests (idea_vote_requests) and confirmed votes (idea_votes). */
@Injectable()
export class IdeaVotesRepository {
  /** Whether the address (by its HMAC) already has a confirmed vote for the idea. */
  async hasVote(em: EntityManager, ideaId: string, emailHmac: string): Promise<boolean> {
    const rows = await em.query<unknown[]>(
      'SELECT 1 FROM idea_votes WHERE idea_id = $1 AND email_hmac = $2',
      [ideaId, emailHmac],
    );
    return rows.length > 0;
  }

  /**
   * A new request, valid `ttlSeconds` from now (database clock). expires_at is kept to the
   * millisecond so that the ISO string scheduling its expiry names exactly that instant.
   */
  async insertRequest(
    em: EntityManager,
    r: { ideaId: string; email: string; emailHmac: string; ttlSeconds: number },
  ): Promise<{ id: string; expires_at: Date }> {
    const [row] = await em.query<{ id: string; expires_at: Date }[]>(
      `INSERT INTO idea_vote_requests (idea_id, email, email_hmac, expires_at)
       VALUES ($1, $2, $3, date_trunc('milliseconds', now()) + $4 * interval '1 second')
       RETURNING id, expires_at`,
      [r.ideaId, r.email, r.emailHmac, r.ttlSeconds],
    );
    return row!;
  }

  /** The request whose token hashes to `tokenHash`, locked until the transaction ends. */
  async lockByTokenHash(em: EntityManager, tokenHash: string): Promise<VoteRequestRow | undefined> {
    const [row] = await em.query<VoteRequestRow[]>(
      `SELECT id, idea_id, email_hmac, confirmed_at IS NOT NULL AS confirmed, expires_at <= now() AS expired
         FROM idea_vote_requests WHERE token_hash = $1
        FOR UPDATE`,
      [tokenHash],
    );
    return row;
  }

  /**
   * Counts the address's vote for the idea once: the vote row is inserted unless the address
   * already has one (the primary key decides, also between concurrent confirmations), and only
   * then is the counter raised, by one UPDATE whose row lock queues concurrent raises, so none
   * is lost. Answers the idea's count after it.
   */
  async countVote(em: EntityManager, ideaId: string, emailHmac: string): Promise<number> {
    const [row] = await em.query<{ votes: number }[]>(
      `WITH vote AS (
         INSERT INTO idea_votes (idea_id, email_hmac) VALUES ($1, $2)
         ON CONFLICT (idea_id, email_hmac) DO NOTHING
         RETURNING idea_id),
       raised AS (
         UPDATE ideas SET votes = votes + 1 WHERE id IN (SELECT idea_id FROM vote) RETURNING votes)
       SELECT coalesce((SELECT votes FROM raised), (SELECT votes FROM ideas WHERE id = $1)) AS votes`,
      [ideaId, emailHmac],
    );
    return row!.votes;
  }

  /** Marks the request confirmed and deletes its address: it is not kept past confirmation. */
  async confirm(em: EntityManager, requestId: string): Promise<void> {
    await em.query('UPDATE idea_vote_requests SET confirmed_at = now(), email = NULL WHERE id = $1', [
      requestId,
    ]);
  }

  /** Deletes the address of the request if it has expired (database clock) and still holds one. */
  async forgetExpiredAddress(em: EntityManager, requestId: string): Promise<void> {
    await em.query(
      'UPDATE idea_vote_requests SET email = NULL WHERE id = $1 AND expires_at <= now() AND email IS NOT NULL',
      [requestId],
    );
  }
}
