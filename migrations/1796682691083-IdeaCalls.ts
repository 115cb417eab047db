import { MigrationInterface, QueryRunner } from 'typeorm';

export class IdeaCalls1796682691083 implements MigrationInterface {
  name = 'IdeaCalls1796682691083';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "idea_calls" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "broadcaster_id" uuid NOT NULL,
                "created_by" uuid NOT NULL,
                "status" text NOT NULL DEFAULT 'draft',
                "title" text NOT NULL,
                "description" text NOT NULL,
                "genres" text array NOT NULL DEFAULT '{}',
                "languages" text array NOT NULL DEFAULT '{}',
                "closes_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "voting_enabled" boolean NOT NULL DEFAULT false,
                "cancel_reason" text,
                "opened_at" TIMESTAMP WITH TIME ZONE,
                "cancelled_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "idea_calls_status_check" CHECK (
                    status IN ('draft', 'open', 'closed', 'cancelled')
                ),
                CONSTRAINT "idea_calls_pkey" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "idea_calls_open_created_idx" ON "idea_calls" ("created_at", "id")
            WHERE status = 'open'
        `);
    await queryRunner.query(`
            CREATE INDEX "idea_calls_broadcaster_created_idx" ON "idea_calls" ("broadcaster_id", "created_at", "id")
        `);
    await queryRunner.query(`
            ALTER TABLE "idea_calls"
            ADD CONSTRAINT "idea_calls_broadcaster_fk" FOREIGN KEY ("broadcaster_id") REFERENCES "organisations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "idea_calls" DROP CONSTRAINT "idea_calls_broadcaster_fk"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idea_calls_broadcaster_created_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idea_calls_open_created_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "idea_calls"
        `);
  }
}
