import { MigrationInterface, QueryRunner } from 'typeorm';

export class Delivery1795826578056 implements MigrationInterface {
  name = 'Delivery1795826578056';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "contract_signatures" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "contract_id" uuid NOT NULL,
                "party" text NOT NULL,
                "user_id" uuid NOT NULL,
                "terms_hash" text NOT NULL,
                "signed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "cleared_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "contract_signatures_party_check" CHECK (party IN ('broadcaster', 'studio')),
                CONSTRAINT "contract_signatures_pkey" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "contract_signatures_one_live_per_party" ON "contract_signatures" ("contract_id", "party")
            WHERE cleared_at IS NULL
        `);
    await queryRunner.query(`
            CREATE TABLE "deliverables" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "milestone_id" uuid NOT NULL,
                "studio_id" uuid NOT NULL,
                "kind" text NOT NULL,
                "version" integer NOT NULL,
                "file_name" text NOT NULL,
                "size" bigint NOT NULL,
                "sha256" text NOT NULL,
                "content_type" text NOT NULL,
                "status" text NOT NULL DEFAULT 'uploading',
                "storage_driver" text NOT NULL,
                "computed_sha256" text,
                "created_by" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "uploaded_at" TIMESTAMP WITH TIME ZONE,
                "verified_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "deliverables_size_check" CHECK (size > 0),
                CONSTRAINT "deliverables_kind_check" CHECK (
                    kind IN (
                        'programme_master',
                        'rough_cut',
                        'trailer',
                        'script',
                        'subtitles',
                        'artwork',
                        'music_cue_sheet',
                        'other'
                    )
                ),
                CONSTRAINT "deliverables_status_check" CHECK (
                    status IN ('uploading', 'verifying', 'ready', 'rejected')
                ),
                CONSTRAINT "deliverables_pkey" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "deliverables_studio_idx" ON "deliverables" ("studio_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "deliverables_milestone_kind_version_key" ON "deliverables" ("milestone_id", "kind", "version")
        `);
    await queryRunner.query(`
            ALTER TABLE "contracts"
            ADD "activated_at" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            ALTER TABLE "contracts"
            ADD "terminated_at" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            ALTER TABLE "contracts"
            ADD "termination_reason" text
        `);
    await queryRunner.query(`
            ALTER TABLE "milestones"
            ADD "submitted_at" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            ALTER TABLE "milestones"
            ADD "reviewed_at" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            ALTER TABLE "milestones"
            ADD "review_notes" text
        `);
    await queryRunner.query(`
            ALTER TABLE "contract_signatures"
            ADD CONSTRAINT "contract_signatures_contract_fk" FOREIGN KEY ("contract_id") REFERENCES "contracts"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "contract_signatures"
            ADD CONSTRAINT "contract_signatures_user_fk" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "deliverables"
            ADD CONSTRAINT "deliverables_milestone_fk" FOREIGN KEY ("milestone_id") REFERENCES "milestones"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "deliverables"
            ADD CONSTRAINT "deliverables_studio_fk" FOREIGN KEY ("studio_id") REFERENCES "organisations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "deliverables" DROP CONSTRAINT "deliverables_studio_fk"
        `);
    await queryRunner.query(`
            ALTER TABLE "deliverables" DROP CONSTRAINT "deliverables_milestone_fk"
        `);
    await queryRunner.query(`
            ALTER TABLE "contract_signatures" DROP CONSTRAINT "contract_signatures_user_fk"
        `);
    await queryRunner.query(`
            ALTER TABLE "contract_signatures" DROP CONSTRAINT "contract_signatures_contract_fk"
        `);
    await queryRunner.query(`
            ALTER TABLE "milestones" DROP COLUMN "review_notes"
        `);
    await queryRunner.query(`
            ALTER TABLE "milestones" DROP COLUMN "reviewed_at"
        `);
    await queryRunner.query(`
            ALTER TABLE "milestones" DROP COLUMN "submitted_at"
        `);
    await queryRunner.query(`
            ALTER TABLE "contracts" DROP COLUMN "termination_reason"
        `);
    await queryRunner.query(`
            ALTER TABLE "contracts" DROP COLUMN "terminated_at"
        `);
    await queryRunner.query(`
            ALTER TABLE "contracts" DROP COLUMN "activated_at"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."deliverables_milestone_kind_version_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."deliverables_studio_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "deliverables"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."contract_signatures_one_live_per_party"
        `);
    await queryRunner.query(`
            DROP TABLE "contract_signatures"
        `);
  }
}
