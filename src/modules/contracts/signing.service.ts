import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuthUser } from '../../shared/auth/auth-user';
import { DomainError } from '../../shared/errors/domain-error';
import { OutboxService } from '../../shared/outbox/outbox.service';
import { AuditService } from '../audit/audit.service';
import { audioLanguagesOf } from '../briefs/brief-fields';
import { assertAudioMinutes } from '../briefs/brief-rules';
import { BriefErrors } from '../briefs/briefs.errors';
import { BriefsService } from '../briefs/briefs.service';
import type { AudioLanguageDto } from '../briefs/dto/brief.dto';
import { partyOf, SIGNERS } from './contract.access';
import { ContractErrors } from './contracts.errors';
import { ContractsService, type ContractTerms } from './contracts.service';
import type { ContractDto } from './dto/contract.dto';
import type { MilestoneInputDto } from './dto/signing.dto';
import { ContractsRepository } from './repositories/contracts.repository';
import { MilestonesRepository } from './repositories/milestones.repository';

const DAY_MS = 86400 * 1000;

/** The draft's terms, the two signatures, activation and termination. */
@Injectable()
export class SigningService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly contracts: ContractsService,
    private readonly repo: ContractsRepository,
    private readonly milestoneRepo: MilestonesRepository,
    private readonly briefs: BriefsService,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
  ) {}

  /**
   * Replaces a draft's milestone schedule. Amounts are whole minor units in the contract
   * currency and sum exactly to the value. Any change clears the signatures given so far.
   */
  async replaceMilestones(user: AuthUser, id: string, milestones: MilestoneInputDto[]): Promise<ContractDto> {
    return this.ds.transaction(async (em) => {
      const before = await this.contracts.requireContract(em, user, id, 'manage', { lock: true });
      if (before.row.status !== 'draft') {
        throw new DomainError(
          ContractErrors.CONTRACT_STATE_CONFLICT,
          'Only a draft contract changes its milestones',
        );
      }
      const { currency, value_amount: value } = before.row;
      if (milestones.some((m) => m.amount.currency !== currency)) {
        throw new DomainError(ContractErrors.MILESTONE_SUM, `Amounts must be in ${currency}`);
      }
      const sum = milestones.reduce((s, m) => s + BigInt(m.amount.amount), 0n);
      if (sum !== BigInt(value)) {
        throw new DomainError(
          ContractErrors.MILESTONE_SUM,
          `The milestones sum to ${sum}, the value is ${value}`,
        );
      }
      // A draft has no deliverables yet, so its schedule rows can simply be replaced.
      await this.milestoneRepo.deleteForContract(em, id);
      await this.milestoneRepo.insertSchedule(
        em,
        id,
        milestones.map((m) => ({ title: m.title, amount: String(m.amount.amount), dueAt: m.dueAt })),
      );
      const cleared = await this.repo.clearSignatures(em, id);
      await this.repo.touch(em, id);
      const after = await this.contracts.terms(em, before.row);
      await this.audit.record(em, {
        actorId: user.id,
        organisationId: user.organisationId,
        action: 'contract.milestones_replaced',
        entityType: 'contract',
        entityId: id,
        before: { termsHash: before.termsHash, milestones: before.milestones },
        after: { termsHash: after.termsHash, milestones: after.milestones, signaturesCleared: cleared },
      });
      await this.contracts.announceTerms(em, id, before.row.broadcaster_id, before.row.studio_id);
      return this.contracts.toDto(em, after);
    });
  }

  /**
   * Replaces a draft's spoken audio languages (minutes per episode, at most the brief's
   * episodeMinutes in all). They are part of the signed terms: a change clears the signatures
   * given so far, and both parties confirm them by signing.
   */
  async replaceAudioLanguages(
    user: AuthUser,
    id: string,
    languages: AudioLanguageDto[],
  ): Promise<ContractDto> {
    return this.ds.transaction(async (em) => {
      const before = await this.contracts.requireContract(em, user, id, 'manage', { lock: true });
      if (before.row.status !== 'draft') {
        throw new DomainError(
          ContractErrors.CONTRACT_STATE_CONFLICT,
          'Only a draft contract changes its audio languages',
        );
      }
      const brief = await this.briefs.contractTerms(em, before.row.brief_id);
      assertAudioMinutes(languages, brief!.episode_minutes, BriefErrors.AUDIO_MINUTES);
      const audioLanguages = audioLanguagesOf(languages);
      const after = await this.contracts.terms(em, { ...before.row, audio_languages: audioLanguages });
      if (after.termsHash === before.termsHash) return this.contracts.toDto(em, after);
      await this.repo.setAudioLanguages(em, id, audioLanguages);
      const cleared = await this.repo.clearSignatures(em, id);
      await this.audit.record(em, {
        actorId: user.id,
        organisationId: user.organisationId,
        action: 'contract.audio_languages_replaced',
        entityType: 'contract',
        entityId: id,
        before: { termsHash: before.termsHash, audioLanguages: before.row.audio_languages },
        after: { termsHash: after.termsHash, audioLanguages, signaturesCleared: cleared },
      });
      await this.contracts.announceTerms(em, id, before.row.broadcaster_id, before.row.studio_id);
      return this.contracts.toDto(em, after);
    });
  }

  /**
   * A signature of the caller's party on the current terms hash; a stale hash is 409. When both
   * parties have signed the same hash the contract becomes active.
   */
  async sign(user: AuthUser, id: string, hash: string): Promise<ContractDto> {
    return this.ds.transaction(async (em) => {
      const t = await this.contracts.requireContract(em, user, id, 'sign', { lock: true });
      const party = partyOf(user, t.row)!;
      if (t.row.status !== 'draft')
        throw new DomainError(ContractErrors.CONTRACT_STATE_CONFLICT, `The contract is ${t.row.status}`);
      if (hash !== t.termsHash) throw new DomainError(ContractErrors.TERMS_CHANGED);
      await this.repo.insertSignature(em, id, party, user.id, hash);
      await this.audit.record(em, {
        actorId: user.id,
        organisationId: user.organisationId,
        action: 'contract.signed',
        entityType: 'contract',
        entityId: id,
        after: { party, termsHash: hash },
      });
      const both = (await this.repo.partiesSigned(em, id, hash)) === 2;
      if (both) await this.activate(em, t);
      return this.contracts.toDto(
        em,
        await this.contracts.terms(em, { ...t.row, status: both ? 'active' : t.row.status }),
      );
    });
  }

  async terminate(user: AuthUser, id: string, reason: string): Promise<ContractDto> {
    return this.ds.transaction(async (em) => {
      const t = await this.contracts.requireContract(em, user, id, 'manage', { lock: true });
      if (t.row.status !== 'draft' && t.row.status !== 'active') {
        throw new DomainError(
          ContractErrors.CONTRACT_STATE_CONFLICT,
          `A ${t.row.status} contract cannot be terminated`,
        );
      }
      await this.repo.transition(em, id, 'terminated', {
        set: 'terminated_at = now(), termination_reason = $4, updated_at = now()',
        params: [reason],
      });
      await this.audit.record(em, {
        actorId: user.id,
        organisationId: user.organisationId,
        action: 'contract.terminated',
        entityType: 'contract',
        entityId: id,
        before: { status: t.row.status },
        after: { status: 'terminated', reason },
      });
      await this.outbox.emit(em, 'contract.terminated', { contractId: id });
      return this.contracts.toDto(em, { ...t, row: { ...t.row, status: 'terminated' } });
    });
  }

  private async activate(em: EntityManager, t: ContractTerms): Promise<void> {
    const { id, broadcaster_id: broadcasterId, studio_id: studioId } = t.row;
    await this.repo.transition(em, id, 'active', { set: 'activated_at = now(), updated_at = now()' });
    await this.audit.record(em, {
      actorId: null,
      organisationId: broadcasterId,
      action: 'contract.activated',
      entityType: 'contract',
      entityId: id,
      after: { status: 'active', termsHash: t.termsHash },
    });
    await this.outbox.emit(em, 'contract.active', {
      recipients: {
        organisationIds: [broadcasterId, studioId],
        roles: [...SIGNERS.broadcaster, ...SIGNERS.studio],
      },
      data: { contractId: id },
    });
    // The studio hears 3 days before each milestone is due (if it is not delivered by then).
    for (const m of t.milestones) {
      const at = new Date(Math.max(Date.parse(m.dueAt) - 3 * DAY_MS, 0)).toISOString();
      await this.outbox.emit(
        em,
        'milestone.reminder',
        { milestoneId: m.id, kind: 'due_soon', at: m.dueAt },
        { availableAt: at },
      );
    }
  }
}
