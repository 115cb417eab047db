import { DataSource, type EntityManager } from 'typeorm';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { AuthUser } from '../../src/shared/auth/auth-user';
import { transition } from '../../src/shared/database/transition';
import { DomainError } from '../../src/shared/errors/domain-error';
import { contractLifecycle } from '../../src/modules/contracts/contract-status';
import { ContractsService } from '../../src/modules/contracts/contracts.service';
import { BidsService } from '../../src/modules/bids/bids.service';
import { DeliverablesService } from '../../src/modules/deliverables/deliverables.service';
import {
  bidBody,
  createBroadcaster,
  createStudio,
  draftContracts,
  type Broadcaster,
  type Studio,
} from '../factories/commissioning';
import type { Actor } from '../factories';
import { startApp, type TestApp } from '../utils/app';

// The middle tier: owners' services and the shared transition against the real database, no HTTP.
// These are the rules HTTP cannot reach on purpose (a caller that skipped its own check, two
// writers in the same instant, an outage inside an access check).

const as = (a: Actor, kind: AuthUser['organisationKind'], role: AuthUser['role']): AuthUser => ({
  id: a.userId,
  organisationId: a.organisationId,
  organisationKind: kind,
  role,
  sessionId: '00000000-0000-0000-0000-000000000000',
});

const codeOf = (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => 'resolved',
    (err: unknown) => (err instanceof DomainError ? err.def.code : (err as Error).constructor.name),
  );

describe('Owners against PostgreSQL (no HTTP)', () => {
  let t: TestApp;
  let ds: DataSource;
  let b: Broadcaster;
  let s: Studio;
  let contractIds: string[];
  let awardedBid: { briefId: string; bidId: string };

  beforeAll(async () => {
    t = await startApp({ BRIEF_MIN_BID_WINDOW_SECONDS: '0' });
    ds = t.app.get<DataSource>(getDataSourceToken());
    [b, s] = await Promise.all([createBroadcaster(t), createStudio(t)]);
    const drafts = await draftContracts(
      t,
      [0, 1, 2].map(() => ({ broadcaster: b, studio: s, bid: bidBody() })),
    );
    contractIds = drafts.map((d) => d.contractId);
    awardedBid = { briefId: drafts[0]!.briefId, bidId: drafts[0]!.bid.id };
  });

  afterAll(() => t?.close());

  const status = async (id: string): Promise<string> =>
    (await t.db.query<{ status: string }>('SELECT status FROM contracts WHERE id = $1', [id])).rows[0]!
      .status;

  describe('transition', () => {
    it('refuses a move the lifecycle does not list, even for a caller that checked nothing', async () => {
      const id = contractIds[0]!;
      const moved = await transition(ds.manager, 'contracts', contractLifecycle, id, 'completed');
      expect(moved).toBeUndefined();
      expect(await status(id)).toBe('draft');
    });

    it('lets exactly one of many simultaneous writers make a move', async () => {
      const id = contractIds[1]!;
      const results = await Promise.all(
        Array.from({ length: 8 }, () =>
          ds.transaction((em: EntityManager) =>
            transition(em, 'contracts', contractLifecycle, id, 'terminated', {
              set: 'terminated_at = now(), termination_reason = $4',
              params: ['race'],
            }),
          ),
        ),
      );
      expect(results.filter((r) => r !== undefined)).toHaveLength(1);
      expect(await status(id)).toBe('terminated');
    });
  });

  describe('BidsService.markAwarded', () => {
    it('refuses a second award of the same bid with BID_STATE_CONFLICT and changes nothing', async () => {
      const bids = t.app.get(BidsService);
      const before = await t.db.query('SELECT status, updated_at FROM bids WHERE id = $1', [
        awardedBid.bidId,
      ]);
      const code = await codeOf(
        ds.transaction((em) => bids.markAwarded(em, awardedBid.briefId, awardedBid.bidId)),
      );
      expect(code).toBe('BID_STATE_CONFLICT');
      const after = await t.db.query('SELECT status, updated_at FROM bids WHERE id = $1', [awardedBid.bidId]);
      expect(after.rows).toEqual(before.rows);
    });
  });

  describe('ContractsService.requireContract (one rule: not visible 404, not allowed 403)', () => {
    it('answers NOT_FOUND to an organisation that is not a party, whatever the action', async () => {
      const stranger = await createStudio(t);
      const contracts = t.app.get(ContractsService);
      for (const action of ['read', 'sign', 'manage'] as const) {
        const code = await codeOf(
          contracts.requireContract(
            ds.manager,
            as(stranger.producer, 'studio', 'producer'),
            contractIds[2]!,
            action,
          ),
        );
        expect({ action, code }).toEqual({ action, code: 'NOT_FOUND' });
      }
    });

    it('answers FORBIDDEN to a party member whose role may not take the action', async () => {
      const contracts = t.app.get(ContractsService);
      const finance = as(s.finance, 'studio', 'finance');
      await expect(
        contracts.requireContract(ds.manager, finance, contractIds[2]!, 'read'),
      ).resolves.toBeDefined();
      expect(await codeOf(contracts.requireContract(ds.manager, finance, contractIds[2]!, 'sign'))).toBe(
        'FORBIDDEN',
      );
      const producer = as(s.producer, 'studio', 'producer');
      expect(await codeOf(contracts.requireContract(ds.manager, producer, contractIds[2]!, 'manage'))).toBe(
        'FORBIDDEN',
      );
      await expect(
        contracts.requireContract(ds.manager, producer, contractIds[2]!, 'sign'),
      ).resolves.toBeDefined();
    });
  });

  describe('an outage inside an access check', () => {
    it('is never answered as "not found"', async () => {
      const deliverables = t.app.get(DeliverablesService);
      const [milestone] = (
        await t.db.query<{ id: string }>('SELECT id FROM milestones WHERE contract_id = $1', [contractIds[2]])
      ).rows;
      const runner = ds.createQueryRunner();
      await runner.release(); // its manager now fails every query, as a lost connection would
      const code = await codeOf(
        deliverables.requireMilestone(
          runner.manager,
          as(s.producer, 'studio', 'producer'),
          milestone!.id,
          'read',
        ),
      );
      expect(code).not.toBe('NOT_FOUND');
      expect(code).not.toBe('resolved');
    });
  });
});
