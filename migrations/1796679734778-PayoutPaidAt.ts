import { MigrationInterface, QueryRunner } from 'typeorm';

export class PayoutPaidAt1796679734778 implements MigrationInterface {
  name = 'PayoutPaidAt1796679734778';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "payouts"
            ADD "paid_at" TIMESTAMP WITH TIME ZONE
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "payouts" DROP COLUMN "paid_at"
        `);
  }
}
