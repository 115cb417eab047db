import { MigrationInterface, QueryRunner } from 'typeorm';

export class IdeaDecidedAt1796688840663 implements MigrationInterface {
  name = 'IdeaDecidedAt1796688840663';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "ideas"
            ADD "decided_at" TIMESTAMP WITH TIME ZONE
        `);
    // Ideas decided before the column existed: the time of their first decision, from the audit log.
    await queryRunner.query(`
            UPDATE "ideas" i SET "decided_at" = a.at
              FROM (SELECT entity_id, min(at) AS at FROM "audit_events"
                     WHERE entity_type = 'idea' AND action IN ('idea.approved', 'idea.rejected')
                     GROUP BY entity_id) a
             WHERE a.entity_id = i.id::text
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "ideas" DROP COLUMN "decided_at"
        `);
  }
}
