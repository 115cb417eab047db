import { MigrationInterface, QueryRunner } from 'typeorm';

export class ListIndexes1795830518541 implements MigrationInterface {
  name = 'ListIndexes1795830518541';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE INDEX "briefs_published_created_idx" ON "briefs" ("created_at", "id")
            WHERE published_at IS NOT NULL
        `);
    await queryRunner.query(`
            CREATE INDEX "contracts_created_idx" ON "contracts" ("created_at", "id")
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."contracts_created_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."briefs_published_created_idx"
        `);
  }
}
