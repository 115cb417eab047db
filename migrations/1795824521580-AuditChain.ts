import type { MigrationInterface, QueryRunner } from 'typeorm';

// Hand-written: functions and triggers are outside what TypeORM generates.
// audit_append() takes the chain lock, reads the head and inserts in one round trip (perf
// notes §3.3). It is VOLATILE plpgsql, so the head is read with a snapshot taken after the lock
// (P6): concurrent writers cannot fork the chain. The hash input must match AuditService.verify.
export class AuditChain1795824521580 implements MigrationInterface {
  name = 'AuditChain1795824521580';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SEQUENCE audit_events_seq AS bigint OWNED BY audit_events.seq`);
    await q.query(`
      CREATE FUNCTION audit_append(p_actor uuid, p_organisation uuid, p_action text, p_entity_type text,
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
      END $$`);
    await q.query(`
      CREATE FUNCTION audit_events_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit events are append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_events_no_update_delete BEFORE UPDATE OR DELETE ON audit_events
      FOR EACH ROW EXECUTE FUNCTION audit_events_immutable()`);
    await q.query(`
      CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
      FOR EACH STATEMENT EXECUTE FUNCTION audit_events_immutable()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER audit_events_no_truncate ON audit_events`);
    await q.query(`DROP TRIGGER audit_events_no_update_delete ON audit_events`);
    await q.query(`DROP FUNCTION audit_events_immutable()`);
    await q.query(`DROP FUNCTION audit_append(uuid, uuid, text, text, text, jsonb, jsonb)`);
    await q.query(`DROP SEQUENCE audit_events_seq`);
  }
}
