import type { MigrationInterface, QueryRunner } from 'typeorm';

// A draft may be cancelled without ever being published (product.md: draft → cancelled).
// Hand-written: TypeORM's diff does not compare CHECK expressions.
export class CancelledDraftBriefs1795825600000 implements MigrationInterface {
  name = 'CancelledDraftBriefs1795825600000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "briefs" DROP CONSTRAINT "briefs_published_complete_check"`);
    await q.query(`ALTER TABLE "briefs" ADD CONSTRAINT "briefs_published_complete_check" CHECK (
      status = 'draft' OR (status = 'cancelled' AND published_at IS NULL)
      OR (published_at IS NOT NULL AND bids_close_at IS NOT NULL AND questions_close_at < bids_close_at))`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "briefs" DROP CONSTRAINT "briefs_published_complete_check"`);
    await q.query(`ALTER TABLE "briefs" ADD CONSTRAINT "briefs_published_complete_check" CHECK (
      status = 'draft'
      OR (published_at IS NOT NULL AND bids_close_at IS NOT NULL AND questions_close_at < bids_close_at))`);
  }
}
