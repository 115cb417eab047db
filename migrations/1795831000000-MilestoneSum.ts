import type { MigrationInterface, QueryRunner } from 'typeorm';

// A contract's milestone amounts sum exactly to its value: checked by the database at commit
// (deferred, so a schedule can be replaced row by row inside one transaction). Hand-written:
// TypeORM does not generate triggers.
export class MilestoneSum1795831000000 implements MigrationInterface {
  name = 'MilestoneSum1795831000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION milestones_assert_sum() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE v_contract uuid; v_value bigint; v_sum numeric;
      BEGIN
        v_contract := CASE WHEN TG_OP = 'DELETE' THEN OLD.contract_id ELSE NEW.contract_id END;
        SELECT value_amount INTO v_value FROM contracts WHERE id = v_contract;
        IF NOT FOUND THEN RETURN NULL; END IF;
        SELECT coalesce(sum(amount), 0) INTO v_sum FROM milestones WHERE contract_id = v_contract;
        IF v_sum <> v_value THEN
          RAISE EXCEPTION 'milestones of contract % sum to %, its value is %', v_contract, v_sum, v_value
            USING ERRCODE = 'check_violation', CONSTRAINT = 'milestones_sum_to_value';
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE CONSTRAINT TRIGGER milestones_sum_to_value AFTER INSERT OR UPDATE OF amount, contract_id OR DELETE
      ON milestones DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION milestones_assert_sum()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER milestones_sum_to_value ON milestones`);
    await q.query(`DROP FUNCTION milestones_assert_sum()`);
  }
}
