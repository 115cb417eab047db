import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { transitionOrThrow, type TransitionOptions } from '../../../shared/database/transition';
import { cursorTsSql, type Keyset } from '../../../shared/http/pagination';
import { money } from '../../../shared/money';
import { joinOrganisation } from '../../organisations/organisation-sql';
import { contractLifecycle, type ContractStatus } from '../contract-status';
import type { AudioLanguageDto } from '../../briefs/dto/brief.dto';
import type { ContractSummaryDto, SignatureDto } from '../dto/contract.dto';

export interface ContractRow {
  id: string;
  brief_id: string;
  bid_id: string;
  broadcaster_id: string;
  broadcaster_name: string;
  studio_id: string;
  studio_name: string;
  status: string;
  value_amount: string;
  currency: string;
  rights: unknown;
  delivery_spec: unknown;
  audio_languages: AudioLanguageDto[];
  created_at: Date;
  cursor_ts: string;
}

export interface SignatureRow {
  party: 'broadcaster' | 'studio';
  user_id: string;
  signed_at: Date;
  terms_hash: string;
}

export interface NewContract {
  briefId: string;
  bidId: string;
  broadcasterId: string;
  studioId: string;
  valueAmount: string;
  currency: string;
  rights: unknown;
  deliverySpec: unknown;
  audioLanguages: AudioLanguageDto[];
}

const COLUMNS = `c.id, c.brief_id, c.bid_id, c.broadcaster_id, bo.name AS broadcaster_name, c.studio_id,
  so.name AS studio_name, c.status, c.value_amount, c.currency, c.rights, c.delivery_spec, c.audio_languages, c.created_at,
  ${cursorTsSql('c.created_at')} AS cursor_ts`;
const FROM = `contracts c ${joinOrganisation('bo', 'c.broadcaster_id')} ${joinOrganisation('so', 'c.studio_id')}`;
// The parties see a contract (any member), and the operator.
const VISIBLE = `(c.broadcaster_id = $1::uuid OR c.studio_id = $1::uuid OR $2::text = 'operator')`;

export const toContractSummary = (r: ContractRow): ContractSummaryDto => ({
  id: r.id,
  briefId: r.brief_id,
  bidId: r.bid_id,
  broadcaster: { id: r.broadcaster_id, name: r.broadcaster_name },
  studio: { id: r.studio_id, name: r.studio_name },
  status: r.status,
  value: money(r.value_amount, r.currency),
  createdAt: r.created_at.toISOString(),
});

export const toSignatureDto = (s: SignatureRow): SignatureDto => ({
  party: s.party,
  userId: s.user_id,
  signedAt: s.signed_at.toISOString(),
  termsHash: s.terms_hash,
});

/** The SQL of `contracts` and `contract_signatures`. */
@Injectable()
export class ContractsRepository {
  async insert(em: EntityManager, c: NewContract): Promise<string> {
    const [contract] = await em.query<{ id: string }[]>(
      `INSERT INTO contracts (brief_id, bid_id, broadcaster_id, studio_id, value_amount, currency, rights, delivery_spec,
                              audio_languages)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9::jsonb) RETURNING id`,
      [
        c.briefId,
        c.bidId,
        c.broadcasterId,
        c.studioId,
        c.valueAmount,
        c.currency,
        JSON.stringify(c.rights ?? {}),
        JSON.stringify(c.deliverySpec ?? {}),
        JSON.stringify(c.audioLanguages),
      ],
    );
    return contract!.id;
  }

  /** A page of the contracts visible to (organisation, role), newest first, after the keyset. */
  async listVisible(
    em: EntityManager,
    organisationId: string,
    role: string,
    after: Keyset | null,
    limit: number,
  ): Promise<ContractRow[]> {
    return em.query<ContractRow[]>(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE ${VISIBLE}
          AND ($3::timestamptz IS NULL OR (c.created_at, c.id) < ($3::timestamptz, $4::uuid))
        ORDER BY c.created_at DESC, c.id DESC LIMIT $5`,
      [organisationId, role, after?.ts ?? null, after?.id ?? null, limit],
    );
  }

  /** The contract if visible to (organisation, role); `lock` takes it FOR UPDATE OF c. */
  async findVisible(
    em: EntityManager,
    organisationId: string,
    role: string,
    id: string,
    lock: boolean,
  ): Promise<ContractRow | undefined> {
    const [row] = await em.query<ContractRow[]>(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE c.id = $3 AND ${VISIBLE} ${lock ? 'FOR UPDATE OF c' : ''}`,
      [organisationId, role, id],
    );
    return row;
  }

  /** What the finance commitment of a signed contract needs. */
  async commitmentOf(
    em: EntityManager,
    id: string,
  ): Promise<{ broadcaster_id: string; value_amount: string; currency: string } | undefined> {
    const [c] = await em.query<{ broadcaster_id: string; value_amount: string; currency: string }[]>(
      'SELECT broadcaster_id, value_amount, currency FROM contracts WHERE id = $1',
      [id],
    );
    return c;
  }

  /** Sets a (draft) contract's audio languages and updated_at. */
  async setAudioLanguages(em: EntityManager, id: string, languages: AudioLanguageDto[]): Promise<void> {
    await em.query('UPDATE contracts SET audio_languages = $2::jsonb, updated_at = now() WHERE id = $1', [
      id,
      JSON.stringify(languages),
    ]);
  }

  async touch(em: EntityManager, id: string): Promise<void> {
    await em.query('UPDATE contracts SET updated_at = now() WHERE id = $1', [id]);
  }

  /**
   * The one way a contract's status changes: `UPDATE … WHERE status = ANY(<allowed from>)`;
   * CONTRACT_STATE_CONFLICT when the move is not allowed (callers check under a lock first).
   */
  async transition(
    em: EntityManager,
    id: string,
    to: ContractStatus,
    options: TransitionOptions = {},
  ): Promise<{ id: string; status: ContractStatus }> {
    return transitionOrThrow(em, 'contracts', contractLifecycle, id, to, options);
  }

  /**
   * Set-based: of the given contracts, those that may complete and have every milestone paid;
   * answers the ids of those it completed.
   */
  async completeIfAllPaid(em: EntityManager, ids: string[]): Promise<string[]> {
    const [rows] = await em.query<[{ id: string }[], number]>(
      `UPDATE contracts c SET status = 'completed', updated_at = now()
        WHERE c.id = ANY($1::uuid[]) AND c.status = ANY($2::text[])
          AND NOT EXISTS (SELECT 1 FROM milestones m WHERE m.contract_id = c.id AND m.status <> 'paid')
        RETURNING c.id`,
      [ids, contractLifecycle.from('completed')],
    );
    return rows.map((r) => r.id);
  }

  /** The live (not cleared) signatures, oldest first. */
  async liveSignatures(em: EntityManager, contractId: string): Promise<SignatureRow[]> {
    return em.query<SignatureRow[]>(
      `SELECT party, user_id, signed_at, terms_hash FROM contract_signatures
        WHERE contract_id = $1 AND cleared_at IS NULL ORDER BY signed_at`,
      [contractId],
    );
  }

  async insertSignature(
    em: EntityManager,
    contractId: string,
    party: 'broadcaster' | 'studio',
    userId: string,
    hash: string,
  ): Promise<void> {
    await em.query(
      `INSERT INTO contract_signatures (contract_id, party, user_id, terms_hash) VALUES ($1, $2, $3, $4)`,
      [contractId, party, userId, hash],
    );
  }

  /** How many parties have a live signature on `hash`. */
  async partiesSigned(em: EntityManager, contractId: string, hash: string): Promise<number | undefined> {
    const [both] = await em.query<{ n: number }[]>(
      `SELECT count(DISTINCT party)::int AS n FROM contract_signatures
        WHERE contract_id = $1 AND cleared_at IS NULL AND terms_hash = $2`,
      [contractId, hash],
    );
    return both?.n;
  }

  /** Clears the live signatures; answers how many. */
  async clearSignatures(em: EntityManager, contractId: string): Promise<number> {
    const [, cleared] = await em.query<[unknown[], number]>(
      'UPDATE contract_signatures SET cleared_at = now() WHERE contract_id = $1 AND cleared_at IS NULL',
      [contractId],
    );
    return cleared;
  }
}
