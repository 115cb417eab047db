import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { FORM_TOKEN_TTL_MS } from '../form-token';

export interface NewIdea {
  id: string;
  callId: string;
  title: string;
  logline: string;
  description: string;
  credit: boolean;
  sha256: string;
  signature: string;
  keyId: string;
  /** ISO string of the database time the receipt signs. */
  receivedAt: string;
}

export interface NewSubmitter {
  ideaId: string;
  name: string;
  email: string;
  ipHash: string;
  consentVersion: string;
}

/** The SQL of public submissions: the database clock, used form tokens, the new rows, receipts. */
@Injectable()
export class IdeaSubmissionsRepository {
  /** The database clock in epoch milliseconds (form tokens are issued and aged by it). */
  async nowMs(em: EntityManager): Promise<number> {
    const [row] = await em.query<{ ms: string }[]>(
      `SELECT floor(extract(epoch FROM now()) * 1000)::bigint AS ms`,
    );
    return Number(row!.ms);
  }

  /** The transaction's database time, truncated to milliseconds so its ISO string round-trips. */
  async receivedAt(em: EntityManager): Promise<Date> {
    const [row] = await em.query<{ t: Date }[]>(`SELECT date_trunc('milliseconds', now()) AS t`);
    return row!.t;
  }

  /**
   * Records the form token's nonce as used; false if it already was. A concurrent use of the
   * same nonce waits on the primary key and then finds it taken, so only one submission wins.
   * Nonces older than a token's lifetime are purged on the way: their tokens are refused as
   * expired anyway, so the table holds about one day of submissions.
   */
  async useFormToken(em: EntityManager, nonce: string): Promise<boolean> {
    const rows = await em.query<unknown[]>(
      `WITH purged AS (
         DELETE FROM idea_form_tokens_used WHERE used_at < now() - $2 * interval '1 millisecond')
       INSERT INTO idea_form_tokens_used (nonce) VALUES ($1) ON CONFLICT (nonce) DO NOTHING RETURNING nonce`,
      [nonce, FORM_TOKEN_TTL_MS + 3600_000],
    );
    return rows.length === 1;
  }

  /** A new idea in `pending` (the column default). */
  async insertIdea(em: EntityManager, i: NewIdea): Promise<void> {
    await em.query(
      `INSERT INTO ideas (id, call_id, title, logline, description, credit, sha256, signature, key_id, received_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        i.id,
        i.callId,
        i.title,
        i.logline,
        i.description,
        i.credit,
        i.sha256,
        i.signature,
        i.keyId,
        i.receivedAt,
      ],
    );
  }

  async insertSubmitter(em: EntityManager, s: NewSubmitter): Promise<void> {
    await em.query(
      `INSERT INTO idea_submitters (idea_id, name, email, ip_hash, consent_version) VALUES ($1, $2, $3, $4, $5)`,
      [s.ideaId, s.name, s.email, s.ipHash, s.consentVersion],
    );
  }

  /**
   * When the idea with this id and receipt hash was received, whatever its status; the ideas row
   * and its hash outlive rejection, hiding and erasure (which deletes only idea_submitters).
   */
  async receivedAtOf(em: EntityManager, ideaId: string, sha256: string): Promise<Date | undefined> {
    const [row] = await em.query<{ received_at: Date }[]>(
      `SELECT received_at FROM ideas WHERE id = $1 AND sha256 = $2`,
      [ideaId, sha256],
    );
    return row?.received_at;
  }
}
