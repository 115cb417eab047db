import { MigrationInterface, QueryRunner } from 'typeorm';

export class EmailMutedTypes1795828127901 implements MigrationInterface {
  name = 'EmailMutedTypes1795828127901';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "users"
            ADD "email_muted_types" text array NOT NULL DEFAULT '{}'
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "users" DROP COLUMN "email_muted_types"
        `);
  }
}
