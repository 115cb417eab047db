import { MigrationInterface, QueryRunner } from 'typeorm';

// The spoken audio languages of briefs and contracts (local-content report). The function the
// briefs' CHECK calls is hand-written (TypeORM does not generate functions): the minutes of an
// episode's audio languages summed, NULL when the value is not an array.
export class AudioLanguages1796688896692 implements MigrationInterface {
  name = 'AudioLanguages1796688896692';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE FUNCTION audio_languages_minutes(languages jsonb) RETURNS integer
            LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
              SELECT CASE WHEN jsonb_typeof(languages) = 'array' THEN
                (SELECT coalesce(sum((e ->> 'minutes')::int), 0)::int FROM jsonb_array_elements(languages) e)
              END
            $$
        `);
    await queryRunner.query(`
            ALTER TABLE "briefs"
            ADD "audio_languages" jsonb NOT NULL DEFAULT '[]'
        `);
    await queryRunner.query(`
            ALTER TABLE "contracts"
            ADD "audio_languages" jsonb NOT NULL DEFAULT '[]'
        `);
    await queryRunner.query(`
            ALTER TABLE "briefs"
            ADD CONSTRAINT "briefs_audio_languages_check" CHECK (
                    jsonb_typeof(audio_languages) = 'array'
                    AND (
                        episode_minutes IS NULL
                        OR audio_languages_minutes(audio_languages) <= episode_minutes
                    )
                )
        `);
    await queryRunner.query(`
            ALTER TABLE "contracts"
            ADD CONSTRAINT "contracts_audio_languages_check" CHECK (jsonb_typeof(audio_languages) = 'array')
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "contracts" DROP CONSTRAINT "contracts_audio_languages_check"
        `);
    await queryRunner.query(`
            ALTER TABLE "briefs" DROP CONSTRAINT "briefs_audio_languages_check"
        `);
    await queryRunner.query(`
            ALTER TABLE "contracts" DROP COLUMN "audio_languages"
        `);
    await queryRunner.query(`
            ALTER TABLE "briefs" DROP COLUMN "audio_languages"
        `);
    await queryRunner.query(`
            DROP FUNCTION audio_languages_minutes(jsonb)
        `);
  }
}
