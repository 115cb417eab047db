import { MigrationInterface, QueryRunner } from 'typeorm';

// Generated from the entities (tables, columns, indexes), then hand-edited below the marker:
// - audit_append() no longer takes the chain lock nor chains: one INSERT. The Merkle sequencer
//   (AuditSequencer, worker role) later gives each committed event its leaf_index and leaf_hash;
//   events appended before this migration keep their hash/prev_hash (the old chain, NOT NULL on
//   them only) and are sequenced first, in seq order, on the sequencer's first run.
// - the append-only trigger allows exactly that one-time UPDATE (leaf_index and leaf_hash from
//   NULL to values, every other column unchanged); audit_tree_heads gets the same guard.

export class AuditMerkle1796691311899 implements MigrationInterface {
  name = 'AuditMerkle1796691311899';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "audit_tree_heads" (
                "tree_size" bigint NOT NULL,
                "root_hash" text NOT NULL,
                "issued_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "signature" text NOT NULL,
                "key_id" text NOT NULL,
                CONSTRAINT "audit_tree_heads_pkey" PRIMARY KEY ("tree_size")
            )
        `);
    await queryRunner.query(`
            ALTER TABLE "audit_events"
            ADD "leaf_index" bigint
        `);
    await queryRunner.query(`
            ALTER TABLE "audit_events"
            ADD "leaf_hash" text
        `);
    await queryRunner.query(`
            ALTER TABLE "audit_events"
            ALTER COLUMN "prev_hash" DROP NOT NULL
        `);
    await queryRunner.query(`
            ALTER TABLE "audit_events"
            ALTER COLUMN "hash" DROP NOT NULL
        `);
    await queryRunner.query(`
            CREATE INDEX "audit_events_unsequenced_idx" ON "audit_events" ("at", "seq")
            WHERE leaf_index IS NULL
        `);
    await queryRunner.query(`
            CREATE INDEX "audit_events_leaf_hash_idx" ON "audit_events" ("leaf_hash")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "audit_events_leaf_index_key" ON "audit_events" ("leaf_index")
        `);

    // --- hand-written ---
    await queryRunner.query(`
            CREATE OR REPLACE FUNCTION audit_append(p_actor uuid, p_organisation uuid, p_action text,
                                                   p_entity_type text, p_entity_id text, p_before jsonb,
                                                   p_after jsonb)
            RETURNS bigint LANGUAGE sql VOLATILE AS $$
              INSERT INTO audit_events (seq, actor_id, organisation_id, action, entity_type, entity_id,
                                        before, after, at)
              VALUES (nextval('audit_events_seq'), p_actor, p_organisation, p_action, p_entity_type,
                      p_entity_id, p_before, p_after, clock_timestamp())
              RETURNING seq
            $$
        `);
    await queryRunner.query(`
            CREATE OR REPLACE FUNCTION audit_events_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              -- Nested: the inner test names audit_events columns, planned only for that table.
              IF TG_LEVEL = 'ROW' AND TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'audit_events' THEN
                IF OLD.leaf_index IS NULL AND OLD.leaf_hash IS NULL
                   AND NEW.leaf_index IS NOT NULL AND NEW.leaf_hash IS NOT NULL
                   AND (to_jsonb(NEW) - 'leaf_index' - 'leaf_hash') = (to_jsonb(OLD) - 'leaf_index' - 'leaf_hash') THEN
                  RETURN NEW;
                END IF;
              END IF;
              RAISE EXCEPTION 'audit events are append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
            END $$
        `);
    await queryRunner.query(`
            CREATE TRIGGER audit_tree_heads_no_update_delete BEFORE UPDATE OR DELETE ON audit_tree_heads
            FOR EACH ROW EXECUTE FUNCTION audit_events_immutable()
        `);
    await queryRunner.query(`
            CREATE TRIGGER audit_tree_heads_no_truncate BEFORE TRUNCATE ON audit_tree_heads
            FOR EACH STATEMENT EXECUTE FUNCTION audit_events_immutable()
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // --- hand-written: the chain lock back, and the chain extended over the events appended
    // since (in seq order), so that hash and prev_hash can be NOT NULL again.
    await queryRunner.query(`DROP TRIGGER audit_tree_heads_no_truncate ON audit_tree_heads`);
    await queryRunner.query(`DROP TRIGGER audit_tree_heads_no_update_delete ON audit_tree_heads`);
    await queryRunner.query(`
            CREATE OR REPLACE FUNCTION audit_events_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              RAISE EXCEPTION 'audit events are append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
            END $$
        `);
    await queryRunner.query(`ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_delete`);
    await queryRunner.query(`
            DO $$
            DECLARE r record; v_prev text;
            BEGIN
              SELECT hash INTO v_prev FROM audit_events WHERE hash IS NOT NULL ORDER BY seq DESC LIMIT 1;
              v_prev := coalesce(v_prev, 'GENESIS');
              FOR r IN SELECT * FROM audit_events WHERE hash IS NULL ORDER BY seq LOOP
                UPDATE audit_events SET prev_hash = v_prev,
                       hash = encode(sha256(convert_to(concat_ws('|', r.seq, coalesce(r.actor_id::text, ''),
                         coalesce(r.organisation_id::text, ''), r.action, r.entity_type, r.entity_id,
                         coalesce(r.before::text, ''), coalesce(r.after::text, ''),
                         to_char(r.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), v_prev), 'UTF8')), 'hex')
                 WHERE seq = r.seq RETURNING hash INTO v_prev;
              END LOOP;
            END $$
        `);
    await queryRunner.query(`ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update_delete`);
    await queryRunner.query(`
            CREATE OR REPLACE FUNCTION audit_append(p_actor uuid, p_organisation uuid, p_action text, p_entity_type text,
                                         p_entity_id text, p_before jsonb, p_after jsonb)
            RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$
            DECLARE v_prev text; v_seq bigint; v_at timestamptz; v_hash text;
            BEGIN
              PERFORM pg_advisory_xact_lock(7262001);
              SELECT hash INTO v_prev FROM audit_events ORDER BY seq DESC LIMIT 1;
              v_prev := coalesce(v_prev, 'GENESIS');
              v_seq := nextval('audit_events_seq');
              v_at := clock_timestamp();
              v_hash := encode(sha256(convert_to(concat_ws('|', v_seq, coalesce(p_actor::text, ''),
                          coalesce(p_organisation::text, ''), p_action, p_entity_type, p_entity_id,
                          coalesce(p_before::text, ''), coalesce(p_after::text, ''),
                          to_char(v_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), v_prev), 'UTF8')), 'hex');
              INSERT INTO audit_events (seq, actor_id, organisation_id, action, entity_type, entity_id, before, after, at,
                                        prev_hash, hash)
              VALUES (v_seq, p_actor, p_organisation, p_action, p_entity_type, p_entity_id, p_before, p_after, v_at,
                      v_prev, v_hash);
              RETURN v_seq;
            END $$
        `);
    // --- generated ---
    await queryRunner.query(`
            DROP INDEX "public"."audit_events_leaf_index_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."audit_events_leaf_hash_idx"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."audit_events_unsequenced_idx"
        `);
    await queryRunner.query(`
            ALTER TABLE "audit_events"
            ALTER COLUMN "hash"
            SET NOT NULL
        `);
    await queryRunner.query(`
            ALTER TABLE "audit_events"
            ALTER COLUMN "prev_hash"
            SET NOT NULL
        `);
    await queryRunner.query(`
            ALTER TABLE "audit_events" DROP COLUMN "leaf_hash"
        `);
    await queryRunner.query(`
            ALTER TABLE "audit_events" DROP COLUMN "leaf_index"
        `);
    await queryRunner.query(`
            DROP TABLE "audit_tree_heads"
        `);
  }
}
