import { MigrationInterface, QueryRunner } from 'typeorm';

export class Ideas1796685896822 implements MigrationInterface {
  name = 'Ideas1796685896822';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // Trigram similarity for "similar ideas" (similarity() in the ideas repository).
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await queryRunner.query(`
            CREATE TABLE "rate_limits" (
                "bucket" text NOT NULL,
                "key" text NOT NULL,
                "tat" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "rate_limits_pkey" PRIMARY KEY ("bucket", "key")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "signing_keys" (
                "key_id" text NOT NULL,
                "use" text NOT NULL,
                "algorithm" text NOT NULL DEFAULT 'Ed25519',
                "public_key" bytea NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "retired_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "signing_keys_use_check" CHECK (use IN ('idea-receipt', 'audit-tree-head')),
                CONSTRAINT "signing_keys_pkey" PRIMARY KEY ("key_id", "use")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "ideas" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "call_id" uuid NOT NULL,
                "status" text NOT NULL DEFAULT 'pending',
                "title" text NOT NULL,
                "logline" text NOT NULL,
                "description" text NOT NULL,
                "credit" boolean NOT NULL DEFAULT false,
                "sha256" text NOT NULL,
                "signature" text NOT NULL,
                "key_id" text NOT NULL,
                "received_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "votes" integer NOT NULL DEFAULT '0',
                "decision_reason" text,
                "answer_text" text,
                "answered_at" TIMESTAMP WITH TIME ZONE,
                "converted_brief_id" uuid,
                "erased_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "ideas_converted_brief_key" UNIQUE ("converted_brief_id"),
                CONSTRAINT "ideas_votes_check" CHECK (votes >= 0),
                CONSTRAINT "ideas_sha256_check" CHECK (sha256 ~ '^[0-9a-f]{64}$'),
                CONSTRAINT "ideas_status_check" CHECK (
                    status IN (
                        'pending',
                        'approved',
                        'rejected',
                        'shortlisted',
                        'converted',
                        'declined',
                        'hidden',
                        'withdrawn'
                    )
                ),
                CONSTRAINT "ideas_pkey" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ideas_call_status_received_idx" ON "ideas" ("call_id", "status", "received_at", "id")
        `);
    await queryRunner.query(`
            CREATE INDEX "ideas_call_received_idx" ON "ideas" ("call_id", "received_at", "id")
        `);
    await queryRunner.query(`
            CREATE TABLE "idea_submitters" (
                "idea_id" uuid NOT NULL,
                "name" text NOT NULL,
                "email" text NOT NULL,
                "ip_hash" text NOT NULL,
                "consent_version" text NOT NULL,
                "consented_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "manage_token_hash" text,
                CONSTRAINT "idea_submitters_manage_token_key" UNIQUE ("manage_token_hash"),
                CONSTRAINT "idea_submitters_pkey" PRIMARY KEY ("idea_id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "idea_form_tokens_used" (
                "nonce" text NOT NULL,
                "used_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "idea_form_tokens_used_pkey" PRIMARY KEY ("nonce")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "idea_vote_requests" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "idea_id" uuid NOT NULL,
                "email" text,
                "email_hmac" text NOT NULL,
                "token_hash" text,
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "confirmed_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "idea_vote_requests_token_key" UNIQUE ("token_hash"),
                CONSTRAINT "idea_vote_requests_pkey" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "idea_vote_requests_expires_idx" ON "idea_vote_requests" ("expires_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "idea_votes" (
                "idea_id" uuid NOT NULL,
                "email_hmac" text NOT NULL,
                "confirmed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "idea_votes_pkey" PRIMARY KEY ("idea_id", "email_hmac")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "idea_reports" (
                "idea_id" uuid NOT NULL,
                "reporter_hmac" text NOT NULL,
                "reason" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "reviewed_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "idea_reports_reason_check" CHECK (
                    reason IN (
                        'spam',
                        'offensive',
                        'does_not_belong',
                        'rights_infringement'
                    )
                ),
                CONSTRAINT "idea_reports_pkey" PRIMARY KEY ("idea_id", "reporter_hmac")
            )
        `);
    await queryRunner.query(`
            ALTER TABLE "briefs"
            ADD "origin_idea_id" uuid
        `);
    await queryRunner.query(`
            ALTER TABLE "briefs"
            ADD CONSTRAINT "briefs_origin_idea_key" UNIQUE ("origin_idea_id")
        `);
    await queryRunner.query(`
            ALTER TABLE "briefs"
            ADD "origin_credit_name" text
        `);
    await queryRunner.query(`
            ALTER TABLE "ideas"
            ADD CONSTRAINT "ideas_call_fk" FOREIGN KEY ("call_id") REFERENCES "idea_calls"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "idea_submitters"
            ADD CONSTRAINT "idea_submitters_idea_fk" FOREIGN KEY ("idea_id") REFERENCES "ideas"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "idea_vote_requests"
            ADD CONSTRAINT "idea_vote_requests_idea_fk" FOREIGN KEY ("idea_id") REFERENCES "ideas"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "idea_votes"
            ADD CONSTRAINT "idea_votes_idea_fk" FOREIGN KEY ("idea_id") REFERENCES "ideas"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "idea_reports"
            ADD CONSTRAINT "idea_reports_idea_fk" FOREIGN KEY ("idea_id") REFERENCES "ideas"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "idea_reports" DROP CONSTRAINT "idea_reports_idea_fk"
        `);
    await queryRunner.query(`
            ALTER TABLE "idea_votes" DROP CONSTRAINT "idea_votes_idea_fk"
        `);
    await queryRunner.query(`
            ALTER TABLE "idea_vote_requests" DROP CONSTRAINT "idea_vote_requests_idea_fk"
        `);
    await queryRunner.query(`
            ALTER TABLE "idea_submitters" DROP CONSTRAINT "idea_submitters_idea_fk"
        `);
    await queryRunner.query(`
            ALTER TABLE "ideas" DROP CONSTRAINT "ideas_call_fk"
        `);
    await queryRunner.query(`
            ALTER TABLE "briefs" DROP COLUMN "origin_credit_name"
        `);
    await queryRunner.query(`
            ALTER TABLE "briefs" DROP CONSTRAINT "briefs_origin_idea_key"
        `);
    await queryRunner.query(`
            ALTER TABLE "briefs" DROP COLUMN "origin_idea_id"
        `);
    await queryRunner.query(`
            DROP TABLE "idea_reports"
        `);
    await queryRunner.query(`
            DROP TABLE "idea_votes"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idea_vote_requests_expires_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "idea_vote_requests"
        `);
    await queryRunner.query(`
            DROP TABLE "idea_form_tokens_used"
        `);
    await queryRunner.query(`
            DROP TABLE "idea_submitters"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ideas_call_received_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ideas_call_status_received_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "ideas"
        `);
    await queryRunner.query(`
            DROP TABLE "signing_keys"
        `);
    await queryRunner.query(`
            DROP TABLE "rate_limits"
        `);
    await queryRunner.query(`DROP EXTENSION IF EXISTS pg_trgm`);
  }
}
