import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { IdeaReportReason } from '../dto/idea-moderation.dto';

/** The SQL of public reports (idea_reports): one row per idea and reporter HMAC. */
@Injectable()
export class IdeaReportsRepository {
  /**
   * Records a report unless this reporter (the HMAC of their normalised address) already reported
   * the idea: the primary key (idea_id, reporter_hmac) decides. Answers whether it was new.
   */
  async insert(
    em: EntityManager,
    ideaId: string,
    reporterHmac: string,
    reason: IdeaReportReason,
  ): Promise<boolean> {
    const rows = await em.query<unknown[]>(
      `INSERT INTO idea_reports (idea_id, reporter_hmac, reason) VALUES ($1, $2, $3)
       ON CONFLICT (idea_id, reporter_hmac) DO NOTHING RETURNING 1`,
      [ideaId, reporterHmac, reason],
    );
    return rows.length > 0;
  }

  /** Distinct reporters of the idea since a commissioner last reviewed it. */
  async countUnreviewed(em: EntityManager, ideaId: string): Promise<number> {
    const [row] = await em.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM idea_reports WHERE idea_id = $1 AND reviewed_at IS NULL`,
      [ideaId],
    );
    return row?.n ?? 0;
  }

  /** Marks the idea's reports reviewed: they no longer count toward hiding it. */
  async markReviewed(em: EntityManager, ideaId: string): Promise<void> {
    await em.query(`UPDATE idea_reports SET reviewed_at = now() WHERE idea_id = $1 AND reviewed_at IS NULL`, [
      ideaId,
    ]);
  }
}
