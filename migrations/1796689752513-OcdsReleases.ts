import { MigrationInterface, QueryRunner } from 'typeorm';

export class OcdsReleases1796689752513 implements MigrationInterface {
  name = 'OcdsReleases1796689752513';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "ocds_releases" (
                "ocid" text NOT NULL,
                "id" text NOT NULL,
                "event_id" bigint NOT NULL,
                "brief_id" uuid NOT NULL,
                "tag" text array NOT NULL,
                "date" TIMESTAMP WITH TIME ZONE NOT NULL,
                "release_text" text NOT NULL,
                "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "seq" bigint,
                CONSTRAINT "ocds_releases_pkey" PRIMARY KEY ("ocid", "id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "ocds_releases_unsequenced_idx" ON "ocds_releases" ("recorded_at")
            WHERE seq IS NULL
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "ocds_releases_seq_key" ON "ocds_releases" ("seq")
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."ocds_releases_seq_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."ocds_releases_unsequenced_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "ocds_releases"
        `);
  }
}
