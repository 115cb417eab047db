import { MigrationInterface, QueryRunner } from 'typeorm';

export class IdeaSimilarities1796687961812 implements MigrationInterface {
  name = 'IdeaSimilarities1796687961812';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "idea_similarities" (
                "idea_id" uuid NOT NULL,
                "similar_id" uuid NOT NULL,
                "similarity" real NOT NULL,
                CONSTRAINT "idea_similarities_pkey" PRIMARY KEY ("idea_id", "similar_id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "idea_similarities_similar_idx" ON "idea_similarities" ("similar_id")
        `);
    await queryRunner.query(`
            ALTER TABLE "idea_similarities"
            ADD CONSTRAINT "idea_similarities_idea_fk" FOREIGN KEY ("idea_id") REFERENCES "ideas"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "idea_similarities"
            ADD CONSTRAINT "idea_similarities_similar_fk" FOREIGN KEY ("similar_id") REFERENCES "ideas"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "idea_similarities" DROP CONSTRAINT "idea_similarities_similar_fk"
        `);
    await queryRunner.query(`
            ALTER TABLE "idea_similarities" DROP CONSTRAINT "idea_similarities_idea_fk"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."idea_similarities_similar_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "idea_similarities"
        `);
  }
}
