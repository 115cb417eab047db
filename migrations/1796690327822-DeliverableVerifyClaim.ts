import { MigrationInterface, QueryRunner } from 'typeorm';

export class DeliverableVerifyClaim1796690327822 implements MigrationInterface {
  name = 'DeliverableVerifyClaim1796690327822';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "deliverables"
            ADD "verify_started_at" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            ALTER TABLE "deliverables"
            ADD "verify_attempts" integer NOT NULL DEFAULT '0'
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "deliverables" DROP COLUMN "verify_attempts"
        `);
    await queryRunner.query(`
            ALTER TABLE "deliverables" DROP COLUMN "verify_started_at"
        `);
  }
}
