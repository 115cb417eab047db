import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { isDeepStrictEqual } from 'node:util';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuthUser } from '../../../shared/auth/auth-user';
import { DomainError } from '../../../shared/errors/domain-error';
import { AuditService } from '../../audit/audit.service';
import { BriefErrors } from '../briefs.errors';
import { BriefsService } from '../briefs.service';
import { defaultQcItems, resolveQcItems } from './qc-items';
import type { PutQcProfileDto, QcProfileDto } from './qc-profile.dto';
import { QcProfilesRepository, toQcProfileDto, type QcProfileRow } from './qc-profiles.repository';

export type { QcProfileRow } from './qc-profiles.repository';

/**
 * A brief's technical QC profile: versioned, derived from its deliverySpec until the
 * commissioner edits it, editable while the brief is a draft (what studios bid on is fixed).
 */
@Injectable()
export class QcProfilesService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: QcProfilesRepository,
    private readonly briefs: BriefsService,
    private readonly audit: AuditService,
  ) {}

  get(user: AuthUser, briefId: string): Promise<QcProfileDto> {
    return this.ds.transaction(async (em) => {
      await this.briefs.requireBrief(em, user, briefId, 'manage');
      return toQcProfileDto(await this.current(em, briefId));
    });
  }

  /** Replaces the profile with a new version (draft briefs only: 409 BRIEF_NOT_DRAFT). */
  put(user: AuthUser, briefId: string, dto: PutQcProfileDto): Promise<QcProfileDto> {
    return this.ds.transaction(async (em) => {
      // The brief row lock serialises versions of its profile.
      const brief = await this.briefs.requireBrief(em, user, briefId, 'manage', { lock: true });
      if (brief.stored_status !== 'draft') throw new DomainError(BriefErrors.BRIEF_NOT_DRAFT);
      const items = resolveQcItems(dto.items, (await this.repo.targets(em, briefId))!);
      const before = await this.repo.latest(em, briefId);
      const row = (await this.repo.insert(em, {
        briefId,
        version: (before?.version ?? 0) + 1,
        items,
        source: 'commissioner',
        createdBy: user.id,
      }))!;
      const profile = toQcProfileDto(row);
      await this.audit.record(em, {
        actorId: user.id,
        organisationId: user.organisationId,
        action: 'brief.qc_profile_updated',
        entityType: 'brief',
        entityId: briefId,
        before: before ? { version: before.version, items: before.items } : null,
        after: { version: profile.version, items: profile.items },
      });
      return profile;
    });
  }

  // --- Owner methods for the deliverables module, in its transaction.

  /**
   * The profile a file is measured against now. A profile nobody edited follows the brief: when
   * the defaults its deliverySpec gives differ from the latest stored version (or none is
   * stored), they are stored as the next version, so every report names an immutable version.
   */
  async current(em: EntityManager, briefId: string): Promise<QcProfileRow> {
    const latest = await this.repo.latest(em, briefId);
    if (latest?.source === 'commissioner') return latest;
    const items = defaultQcItems((await this.repo.targets(em, briefId))!);
    if (latest && isDeepStrictEqual(latest.items, items)) return latest;
    const added = await this.repo.insert(em, {
      briefId,
      version: (latest?.version ?? 0) + 1,
      items,
      source: 'default',
      createdBy: null,
    });
    return added ?? (await this.repo.latest(em, briefId))!;
  }

  /** One stored version (what a QC job measures against). */
  version(em: EntityManager, profileId: string): Promise<QcProfileRow | undefined> {
    return this.repo.findById(em, profileId);
  }
}
