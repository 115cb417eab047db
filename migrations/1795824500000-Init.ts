import { MigrationInterface, QueryRunner } from 'typeorm';

export class Init1795824500000 implements MigrationInterface {
  name = 'Init1795824500000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "outbox" (
                "id" BIGSERIAL NOT NULL,
                "type" text NOT NULL,
                "payload" jsonb NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "available_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "published_at" TIMESTAMP WITH TIME ZONE,
                "publish_count" integer NOT NULL DEFAULT '0',
                "handled_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "outbox_pkey" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "outbox_unhandled_idx" ON "outbox" ("published_at")
            WHERE handled_at IS NULL
                AND published_at IS NOT NULL
        `);
    await queryRunner.query(`
            CREATE INDEX "outbox_unpublished_idx" ON "outbox" ("id")
            WHERE published_at IS NULL
        `);
    await queryRunner.query(`
            CREATE TABLE "audit_events" (
                "seq" bigint NOT NULL,
                "actor_id" uuid,
                "organisation_id" uuid,
                "action" text NOT NULL,
                "entity_type" text NOT NULL,
                "entity_id" text NOT NULL,
                "before" jsonb,
                "after" jsonb,
                "at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "prev_hash" text NOT NULL,
                "hash" text NOT NULL,
                CONSTRAINT "audit_events_pkey" PRIMARY KEY ("seq")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "audit_events_organisation_idx" ON "audit_events" ("organisation_id", "seq")
        `);
    await queryRunner.query(`
            CREATE INDEX "audit_events_entity_idx" ON "audit_events" ("entity_type", "entity_id", "seq")
        `);
    await queryRunner.query(`
            CREATE TABLE "users" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "organisation_id" uuid NOT NULL,
                "email" text NOT NULL,
                "full_name" text NOT NULL,
                "role" text NOT NULL,
                "language" text,
                "email_notifications" boolean NOT NULL DEFAULT true,
                "password_hash" text NOT NULL,
                "disabled_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "users_language_check" CHECK (
                    language IS NULL
                    OR language IN ('kk', 'ru', 'en')
                ),
                CONSTRAINT "users_role_check" CHECK (
                    role IN (
                        'admin',
                        'commissioner',
                        'finance',
                        'producer',
                        'operator'
                    )
                ),
                CONSTRAINT "users_pkey" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "users_organisation_idx" ON "users" ("organisation_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "users_email_key" ON "users" ("email")
        `);
    await queryRunner.query(`
            CREATE TABLE "auth_sessions" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "user_id" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "revoked_at" TIMESTAMP WITH TIME ZONE,
                "revoked_reason" text,
                CONSTRAINT "auth_sessions_pkey" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "auth_sessions_user_idx" ON "auth_sessions" ("user_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "refresh_tokens" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "session_id" uuid NOT NULL,
                "token_hash" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "used_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "refresh_tokens_pkey" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "refresh_tokens_session_idx" ON "refresh_tokens" ("session_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "refresh_tokens_hash_key" ON "refresh_tokens" ("token_hash")
        `);
    await queryRunner.query(`
            CREATE TABLE "notifications" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "event_id" bigint NOT NULL,
                "user_id" uuid NOT NULL,
                "type" text NOT NULL,
                "title" text NOT NULL,
                "data" jsonb NOT NULL DEFAULT '{}',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "read_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "notifications_pkey" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "notifications_user_created_idx" ON "notifications" ("user_id", "created_at", "id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "notifications_event_user_key" ON "notifications" ("event_id", "user_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "outgoing_mail" (
                "id" BIGSERIAL NOT NULL,
                "event_id" bigint NOT NULL,
                "user_id" uuid NOT NULL,
                "to_address" text NOT NULL,
                "subject" text NOT NULL,
                "text_body" text NOT NULL,
                "html_body" text NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "sent_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "outgoing_mail_pkey" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "outgoing_mail_event_user_key" ON "outgoing_mail" ("event_id", "user_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "organisations" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "name" text NOT NULL,
                "kind" text NOT NULL,
                "country" character(2) NOT NULL,
                "bin" text,
                "genres" text array NOT NULL DEFAULT '{}',
                "vat_rate" numeric(5, 2),
                "public_body" boolean NOT NULL DEFAULT false,
                "verified_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "organisations_vat_rate_check" CHECK (
                    vat_rate IS NULL
                    OR (
                        vat_rate >= 0
                        AND vat_rate <= 100
                    )
                ),
                CONSTRAINT "organisations_country_check" CHECK (country ~ '^[A-Z]{2}$'),
                CONSTRAINT "organisations_kind_check" CHECK (kind IN ('broadcaster', 'studio', 'platform')),
                CONSTRAINT "organisations_pkey" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "organisations_bin_key" ON "organisations" ("country", "bin")
            WHERE bin IS NOT NULL
        `);
    await queryRunner.query(`
            ALTER TABLE "users"
            ADD CONSTRAINT "users_organisation_fk" FOREIGN KEY ("organisation_id") REFERENCES "organisations"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "auth_sessions"
            ADD CONSTRAINT "auth_sessions_user_fk" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "refresh_tokens"
            ADD CONSTRAINT "refresh_tokens_session_fk" FOREIGN KEY ("session_id") REFERENCES "auth_sessions"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "notifications"
            ADD CONSTRAINT "notifications_user_fk" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "outgoing_mail"
            ADD CONSTRAINT "outgoing_mail_user_fk" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "outgoing_mail" DROP CONSTRAINT "outgoing_mail_user_fk"
        `);
    await queryRunner.query(`
            ALTER TABLE "notifications" DROP CONSTRAINT "notifications_user_fk"
        `);
    await queryRunner.query(`
            ALTER TABLE "refresh_tokens" DROP CONSTRAINT "refresh_tokens_session_fk"
        `);
    await queryRunner.query(`
            ALTER TABLE "auth_sessions" DROP CONSTRAINT "auth_sessions_user_fk"
        `);
    await queryRunner.query(`
            ALTER TABLE "users" DROP CONSTRAINT "users_organisation_fk"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."organisations_bin_key"
        `);
    await queryRunner.query(`
            DROP TABLE "organisations"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."outgoing_mail_event_user_key"
        `);
    await queryRunner.query(`
            DROP TABLE "outgoing_mail"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."notifications_event_user_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."notifications_user_created_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "notifications"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."refresh_tokens_hash_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."refresh_tokens_session_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "refresh_tokens"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."auth_sessions_user_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "auth_sessions"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."users_email_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."users_organisation_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "users"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."audit_events_entity_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."audit_events_organisation_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "audit_events"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."outbox_unpublished_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."outbox_unhandled_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "outbox"
        `);
  }
}
