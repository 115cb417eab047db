import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { IdeaStatus } from '../idea-status';

/** What an e-mail to a submitter needs, read at send time. */
export interface SubmitterMailRow {
  idea_id: string;
  email: string;
  name: string;
  credit: boolean;
  status: IdeaStatus;
  idea_title: string;
  call_title: string;
  call_languages: string[];
  sha256: string;
  key_id: string;
  received_at: Date;
  decision_reason: string | null;
  answer_text: string | null;
}

/** What a vote confirmation e-mail needs, read at send time. */
export interface VoteMailRow {
  id: string;
  email: string;
  expires_at: Date;
  idea_title: string;
  call_title: string;
  call_languages: string[];
}

/** Reads for the e-mails to the public, and the hashes of the link tokens made at send time. */
@Injectable()
export class IdeaMailRepository {
  /** The submitter of idea `ideaId` (none once erased), locked while the e-mail is sent. */
  async submitter(em: EntityManager, ideaId: string): Promise<SubmitterMailRow | undefined> {
    const [row] = await em.query<SubmitterMailRow[]>(
      `SELECT i.id AS idea_id, s.email, s.name, i.credit, i.status, i.title AS idea_title,
              c.title AS call_title, c.languages AS call_languages, i.sha256, i.key_id, i.received_at,
              i.decision_reason, i.answer_text
         FROM idea_submitters s JOIN ideas i ON i.id = s.idea_id JOIN idea_calls c ON c.id = i.call_id
        WHERE s.idea_id = $1
        FOR UPDATE OF s`,
      [ideaId],
    );
    return row;
  }

  /** Replaces the hash of the submitter's withdraw/erase token (the newest e-mail's link works). */
  async setManageToken(em: EntityManager, ideaId: string, tokenHash: string): Promise<void> {
    await em.query('UPDATE idea_submitters SET manage_token_hash = $2 WHERE idea_id = $1', [
      ideaId,
      tokenHash,
    ]);
  }

  /** The vote request if it still waits for confirmation (not confirmed, not expired), locked. */
  async pendingVote(em: EntityManager, requestId: string): Promise<VoteMailRow | undefined> {
    const [row] = await em.query<VoteMailRow[]>(
      `SELECT v.id, v.email, v.expires_at, i.title AS idea_title, c.title AS call_title,
              c.languages AS call_languages
         FROM idea_vote_requests v JOIN ideas i ON i.id = v.idea_id JOIN idea_calls c ON c.id = i.call_id
        WHERE v.id = $1 AND v.confirmed_at IS NULL AND v.expires_at > now() AND v.email IS NOT NULL
        FOR UPDATE OF v`,
      [requestId],
    );
    return row;
  }

  async setVoteToken(em: EntityManager, requestId: string, tokenHash: string): Promise<void> {
    await em.query('UPDATE idea_vote_requests SET token_hash = $2 WHERE id = $1', [requestId, tokenHash]);
  }
}
