import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { IdeaStatus } from '../idea-status';

/** The idea a submitter's withdraw/erase link names, with what those use cases need. */
export interface ManagedIdeaRow {
  idea_id: string;
  status: IdeaStatus;
  broadcaster_id: string;
  converted_brief_id: string | null;
}

/** The SQL of the submitter's own links: find by link token, and erasure. */
@Injectable()
export class IdeaSubmittersRepository {
  /**
   * The idea whose submitter row holds the link token hash (none once erased), the submitter and
   * idea rows locked FOR UPDATE: a withdrawal and an erasure of one idea run one after the other,
   * and the later one sees the earlier one's outcome (an erased submitter is not found).
   */
  async findByManageToken(em: EntityManager, tokenHash: string): Promise<ManagedIdeaRow | undefined> {
    const [row] = await em.query<ManagedIdeaRow[]>(
      `SELECT i.id AS idea_id, i.status, c.broadcaster_id, i.converted_brief_id
         FROM idea_submitters s JOIN ideas i ON i.id = s.idea_id JOIN idea_calls c ON c.id = i.call_id
        WHERE s.manage_token_hash = $1
        FOR UPDATE OF s, i`,
      [tokenHash],
    );
    return row;
  }

  /**
   * Erases the submitter of idea `ideaId`: deletes their row (name, e-mail, IP hash, consent and
   * link token) and stamps the idea erased. The idea's text and receipt stay, still verifiable.
   */
  async erase(em: EntityManager, ideaId: string): Promise<void> {
    await em.query('DELETE FROM idea_submitters WHERE idea_id = $1', [ideaId]);
    await em.query('UPDATE ideas SET erased_at = now(), updated_at = now() WHERE id = $1', [ideaId]);
  }
}
