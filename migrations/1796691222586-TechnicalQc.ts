import { MigrationInterface, QueryRunner } from 'typeorm';

// Technical QC of video deliverables: each brief's versioned QC profile, the current QC report of
// each video deliverable, and the commissioner's waivers of failed checks.

export class TechnicalQc1796691222586 implements MigrationInterface {
  name = 'TechnicalQc1796691222586';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "brief_qc_profiles" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "brief_id" uuid NOT NULL,
                "version" integer NOT NULL,
                "items" jsonb NOT NULL,
                "source" text NOT NULL,
                "created_by" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "brief_qc_profiles_source_check" CHECK (source IN ('default', 'commissioner')),
                CONSTRAINT "brief_qc_profiles_pkey" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "brief_qc_profiles_brief_version_key" ON "brief_qc_profiles" ("brief_id", "version")
        `);
    await queryRunner.query(`
            CREATE TABLE "deliverable_qc_reports" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "deliverable_id" uuid NOT NULL,
                "run" integer NOT NULL DEFAULT '1',
                "attempt" integer NOT NULL DEFAULT '0',
                "status" text NOT NULL DEFAULT 'pending',
                "profile_id" uuid NOT NULL,
                "profile_version" integer NOT NULL,
                "tool_version" text,
                "started_at" TIMESTAMP WITH TIME ZONE,
                "finished_at" TIMESTAMP WITH TIME ZONE,
                "measured" jsonb,
                "items" jsonb,
                "error" jsonb,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "deliverable_qc_reports_status_check" CHECK (
                    status IN (
                        'pending',
                        'running',
                        'pass',
                        'warning',
                        'fail',
                        'error',
                        'not_video'
                    )
                ),
                CONSTRAINT "deliverable_qc_reports_pkey" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "deliverable_qc_reports_deliverable_key" ON "deliverable_qc_reports" ("deliverable_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "deliverable_qc_waivers" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "deliverable_id" uuid NOT NULL,
                "item_id" text NOT NULL,
                "reason" text NOT NULL,
                "waived_by" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "deliverable_qc_waivers_pkey" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "deliverable_qc_waivers_item_key" ON "deliverable_qc_waivers" ("deliverable_id", "item_id")
        `);
    await queryRunner.query(`
            ALTER TABLE "brief_qc_profiles"
            ADD CONSTRAINT "brief_qc_profiles_brief_fk" FOREIGN KEY ("brief_id") REFERENCES "briefs"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "brief_qc_profiles"
            ADD CONSTRAINT "brief_qc_profiles_created_by_fk" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "deliverable_qc_reports"
            ADD CONSTRAINT "deliverable_qc_reports_deliverable_fk" FOREIGN KEY ("deliverable_id") REFERENCES "deliverables"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "deliverable_qc_reports"
            ADD CONSTRAINT "deliverable_qc_reports_profile_fk" FOREIGN KEY ("profile_id") REFERENCES "brief_qc_profiles"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "deliverable_qc_waivers"
            ADD CONSTRAINT "deliverable_qc_waivers_deliverable_fk" FOREIGN KEY ("deliverable_id") REFERENCES "deliverables"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "deliverable_qc_waivers"
            ADD CONSTRAINT "deliverable_qc_waivers_waived_by_fk" FOREIGN KEY ("waived_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "deliverable_qc_waivers" DROP CONSTRAINT "deliverable_qc_waivers_waived_by_fk"
        `);
    await queryRunner.query(`
            ALTER TABLE "deliverable_qc_waivers" DROP CONSTRAINT "deliverable_qc_waivers_deliverable_fk"
        `);
    await queryRunner.query(`
            ALTER TABLE "deliverable_qc_reports" DROP CONSTRAINT "deliverable_qc_reports_profile_fk"
        `);
    await queryRunner.query(`
            ALTER TABLE "deliverable_qc_reports" DROP CONSTRAINT "deliverable_qc_reports_deliverable_fk"
        `);
    await queryRunner.query(`
            ALTER TABLE "brief_qc_profiles" DROP CONSTRAINT "brief_qc_profiles_created_by_fk"
        `);
    await queryRunner.query(`
            ALTER TABLE "brief_qc_profiles" DROP CONSTRAINT "brief_qc_profiles_brief_fk"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."deliverable_qc_waivers_item_key"
        `);
    await queryRunner.query(`
            DROP TABLE "deliverable_qc_waivers"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."deliverable_qc_reports_deliverable_key"
        `);
    await queryRunner.query(`
            DROP TABLE "deliverable_qc_reports"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."brief_qc_profiles_brief_version_key"
        `);
    await queryRunner.query(`
            DROP TABLE "brief_qc_profiles"
        `);
  }
}
