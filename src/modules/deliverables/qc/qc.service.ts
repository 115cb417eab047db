import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Job, JobsOptions } from 'bullmq';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource, type EntityManager } from 'typeorm';
import { InjectConfig } from '../../../config/config.module';
import type { AppConfig } from '../../../config/env';
import type { AuthUser } from '../../../shared/auth/auth-user';
import { DomainError } from '../../../shared/errors/domain-error';
import { OutboxService } from '../../../shared/outbox/outbox.service';
import { QUEUES } from '../../../shared/queue/queue.constants';
import { QueueService } from '../../../shared/queue/queue.service';
import { AuditService } from '../../audit/audit.service';
import { QC_VIDEO_KINDS, type QcProfileItem } from '../../briefs/qc-profile/qc-items';
import { QcProfilesService, type QcProfileRow } from '../../briefs/qc-profile/qc-profiles.service';
import { SIGNERS } from '../../contracts/contracts.service';
import { DeliverableErrors } from '../deliverables.errors';
import { DeliverablesRepository, type DeliverableRow } from '../deliverables.repository';
import { DeliverablesService } from '../deliverables.service';
import { STORAGE_DRIVER, type StorageDriver } from '../storage/storage-driver';
import { analyse, analysisSettings, probe, QcAnalysisError, toolVersion } from './analysis';
import { evaluate } from './checks';
import type { QcReportDto, QcWaiversDto } from './dto/qc.dto';
import { qcContext } from './qc-context.read-model';
import { QcErrors } from './qc.errors';
import { QcRepository, toQcReportDto, type QcResult } from './qc.repository';

/** A QC job: measure run `run` of a deliverable's report. */
export interface QcJobData {
  deliverableId: string;
  run: number;
}

/**
 * Errors are retried with exponential backoff (30 s, 60 s, 120 s, ±20 %): a timeout on a busy
 * worker may pass; an unreadable file stays `error` for the commissioner to see and re-run.
 */
const QC_JOB_OPTIONS: JobsOptions = {
  attempts: 4,
  backoff: { type: 'exponential', delay: 30_000, jitter: 0.2 },
};

/** How long a job waits for the transaction that enqueued it to commit its report. */
const VISIBLE_WITHIN_MS = 10_000;

/** Seconds the probe may take (analysis.ts), for the presigned URL it reads. */
const PROBE_URL_TTL = 120;

/** Content types that make a deliverable a video whatever its probe says. */
const saysVideo = (contentType: string): boolean =>
  /^video\//i.test(contentType) || contentType === 'application/mxf';

const isVideoKind = (kind: string): boolean => (QC_VIDEO_KINDS as readonly string[]).includes(kind);

/**
 * Technical QC of video deliverables. A verified file's report is created `pending` in the
 * transaction that handles `deliverable.ready`, and a job on the `qc` queue measures it outside
 * any transaction: claim (one short transaction), ffprobe + one ffmpeg pass (none open), record
 * (another short transaction that re-checks the claim). Job ids are deterministic per deliverable,
 * profile version and run, so a job added twice runs once, and running it twice records once.
 */
@Injectable()
export class QcService implements OnModuleInit {
  private readonly logger = new Logger('QcService');

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: QcRepository,
    private readonly deliverablesRepo: DeliverablesRepository,
    private readonly deliverables: DeliverablesService,
    private readonly profiles: QcProfilesService,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly queues: QueueService,
    @Inject(STORAGE_DRIVER) private readonly storage: StorageDriver,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.queues.onWorkerStart(() =>
      this.queues.startWorker<QcJobData>(QUEUES.qc, (job) => this.process(job), {
        concurrency: this.config.qc.concurrency,
      }),
    );
  }

  /** Handler of `deliverable.ready` (in its transaction): a video kind gets a pending report and a job. */
  async schedule(em: EntityManager, deliverableId: string): Promise<void> {
    const d = await this.deliverablesRepo.findById(em, deliverableId);
    if (!d || d.status !== 'ready' || !isVideoKind(d.kind)) return;
    const ctx = (await qcContext(em, d.milestone_id))!;
    const profile = await this.profiles.current(em, ctx.brief_id);
    const report =
      (await this.repo.insertPending(em, {
        deliverableId,
        profileId: profile.id,
        profileVersion: profile.version,
      })) ?? (await this.repo.find(em, deliverableId))!;
    if (report.status === 'pending') await this.enqueue(deliverableId, report.profile_version, report.run);
  }

  /** The commissioner re-runs QC (a new run, against the brief's current profile): 202. */
  async rerun(user: AuthUser, deliverableId: string): Promise<QcReportDto> {
    const { report, dto } = await this.ds.transaction(async (em) => {
      const d = await this.requireReviewer(em, user, deliverableId);
      if (!isVideoKind(d.kind)) throw new DomainError(QcErrors.QC_NOT_A_VIDEO);
      if (d.status !== 'ready') throw new DomainError(DeliverableErrors.DELIVERABLE_NOT_READY);
      const profile = await this.profiles.current(em, (await qcContext(em, d.milestone_id))!.brief_id);
      const ref = { id: profile.id, version: profile.version };
      const report =
        (await this.repo.insertPending(em, {
          deliverableId,
          profileId: ref.id,
          profileVersion: ref.version,
        })) ?? (await this.repo.rerun(em, deliverableId, ref))!;
      await this.audit.record(em, {
        actorId: user.id,
        organisationId: user.organisationId,
        action: 'deliverable.qc_rerun',
        entityType: 'deliverable',
        entityId: deliverableId,
        after: { run: report.run, profile: ref },
      });
      return { report, dto: toQcReportDto(report, await this.repo.waivers(em, [deliverableId]))! };
    });
    // Queued once the new run is committed, so its job always finds it (a lost enqueue leaves the
    // report pending, and the commissioner can re-run again).
    await this.enqueue(deliverableId, report.profile_version, report.run);
    return dto;
  }

  /**
   * The commissioner waives failed checks of a finished report with a reason (audited, shown on
   * the report to both parties); waivers stay with the deliverable across reruns.
   */
  waive(user: AuthUser, deliverableId: string, dto: QcWaiversDto): Promise<QcReportDto> {
    return this.ds.transaction(async (em) => {
      await this.requireReviewer(em, user, deliverableId);
      const report = await this.repo.find(em, deliverableId, true);
      if (!report || report.status === 'not_video') throw new DomainError(QcErrors.QC_NOT_A_VIDEO);
      const failed = new Set((report.items ?? []).filter((i) => i.result === 'fail').map((i) => i.id));
      const refused = dto.items.filter((id) => !failed.has(id));
      if (!['pass', 'warning', 'fail'].includes(report.status) || refused.length) {
        throw new DomainError(
          QcErrors.QC_NOT_WAIVABLE,
          refused.length
            ? `Not failed in the current report: ${refused.join(', ')}`
            : `The report is ${report.status}`,
        );
      }
      await this.repo.insertWaivers(em, {
        deliverableId,
        items: dto.items,
        reason: dto.reason,
        userId: user.id,
      });
      await this.audit.record(em, {
        actorId: user.id,
        organisationId: user.organisationId,
        action: 'deliverable.qc_waived',
        entityType: 'deliverable',
        entityId: deliverableId,
        after: { run: report.run, items: dto.items, reason: dto.reason },
      });
      return toQcReportDto(report, await this.repo.waivers(em, [deliverableId]))!;
    });
  }

  /**
   * The acceptance gate (in the accept transaction): 409 QC_FAILED while a current video
   * deliverable of the milestone has no finished report (pending, running or error count as
   * none) or a mandatory failure nobody waived.
   */
  async assertAcceptable(em: EntityManager, milestoneId: string): Promise<void> {
    const blockers: string[] = [];
    for (const r of await this.repo.gate(em, milestoneId, QC_VIDEO_KINDS)) {
      const name = `${r.kind} v${r.version}`;
      if (r.status === null || r.status === 'pending' || r.status === 'running' || r.status === 'error') {
        blockers.push(`${name}: no finished QC report (${r.status ?? 'not started'})`);
      } else if (r.status === 'fail') {
        const open = (r.items ?? [])
          .filter((i) => i.result === 'fail' && i.severity === 'mandatory' && !r.waived.includes(i.id))
          .map((i) => i.id);
        if (open.length) blockers.push(`${name}: ${open.join(', ')} failed`);
      }
    }
    if (blockers.length) throw new DomainError(QcErrors.QC_FAILED, blockers.join('; '));
  }

  /** One attempt of a QC job (BullMQ retries a thrown error with backoff). */
  async process(job: Pick<Job<QcJobData>, 'data' | 'attemptsMade' | 'opts'>): Promise<void> {
    const { deliverableId, run } = job.data;
    const claimed = await this.claim(deliverableId, run);
    if (!claimed) return;
    const { deliverable: d, profile, attempt } = claimed;
    // No transaction is open from here until the result is recorded.
    const result = await this.measure(d, profile.items);
    const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    await this.record(d, { run, attempt }, result, last);
    if (result.error)
      throw new Error(`QC of ${deliverableId}: ${result.error.code}: ${result.error.message}`);
  }

  private async enqueue(deliverableId: string, profileVersion: number, run: number): Promise<void> {
    await this.queues.queue(QUEUES.qc).add('qc', { deliverableId, run } satisfies QcJobData, {
      jobId: `qc-${deliverableId}-v${profileVersion}-r${run}`,
      ...QC_JOB_OPTIONS,
    });
  }

  /** The deliverable, when the caller reviews its milestone for the broadcaster (404/403). */
  private async requireReviewer(
    em: EntityManager,
    user: AuthUser,
    deliverableId: string,
  ): Promise<DeliverableRow> {
    const d = await this.deliverables.requireDeliverable(em, user, deliverableId, 'read');
    await this.deliverables.requireMilestone(em, user, d.milestone_id, 'review');
    return d;
  }

  /**
   * The claim: one short transaction. The report of `run` may not be visible yet (the job was
   * added by a transaction that has not committed): wait for it, briefly, then let BullMQ retry.
   */
  private async claim(
    deliverableId: string,
    run: number,
  ): Promise<{ deliverable: DeliverableRow; profile: QcProfileRow; attempt: number } | undefined> {
    const until = Date.now() + VISIBLE_WITHIN_MS;
    for (;;) {
      const claimed = await this.ds.transaction(async (em) => {
        const c = await this.repo.claim(em, deliverableId, run);
        if (!c) return { seen: await this.repo.find(em, deliverableId) };
        const deliverable = (await this.deliverablesRepo.findById(em, deliverableId))!;
        const profile = (await this.profiles.version(em, c.profile_id))!;
        return { claim: { deliverable, profile, attempt: c.attempt } };
      });
      if ('claim' in claimed) return claimed.claim;
      // A later run, or this run finished: nothing to do.
      if (claimed.seen && claimed.seen.run >= run) return undefined;
      if (Date.now() > until) throw new Error(`QC report ${deliverableId} run ${run} is not visible`);
      await sleep(200);
    }
  }

  /** ffprobe, then (for a video) one ffmpeg pass and the profile's checks. Never throws. */
  private async measure(d: DeliverableRow, items: QcProfileItem[]): Promise<QcResult> {
    let version: string | null = null;
    let probed = false;
    try {
      version = await toolVersion();
      const p = await probe(await this.storage.mediaSource(d.id, PROBE_URL_TTL));
      probed = true;
      if (!p.video && !saysVideo(d.content_type)) return { status: 'not_video', toolVersion: version };
      const timeoutSec = this.config.qc.timeoutFactor * (p.durationSec ?? 0) + 60;
      const source = await this.storage.mediaSource(d.id, timeoutSec + 60);
      const m = await analyse(source, p, analysisSettings(items), timeoutSec * 1000);
      const e = evaluate(items, m, d.kind);
      return { status: e.status, toolVersion: version, measured: e.measured, items: e.items };
    } catch (err) {
      // A file that neither its content type nor ffprobe calls a video is not one.
      if (
        !probed &&
        err instanceof QcAnalysisError &&
        err.code !== 'TOOL_MISSING' &&
        !saysVideo(d.content_type)
      ) {
        return { status: 'not_video', toolVersion: version };
      }
      const error =
        err instanceof QcAnalysisError
          ? { code: err.code, message: err.message }
          : { code: 'ANALYSIS_FAILED', message: (err as Error).message };
      this.logger.warn({ deliverableId: d.id, ...error }, 'QC could not measure a file');
      return { status: 'error', toolVersion: version, error };
    }
  }

  /**
   * The record: one short transaction that writes the result only if this claim is still the
   * run's latest; the audit event and the studio's notification go with it.
   */
  private async record(
    d: DeliverableRow,
    claim: { run: number; attempt: number },
    r: QcResult,
    last: boolean,
  ): Promise<void> {
    await this.ds.transaction(async (em) => {
      if (!(await this.repo.record(em, d.id, claim, r))) return;
      const failed = (r.items ?? []).filter((i) => i.result === 'fail').map((i) => i.id);
      await this.audit.record(em, {
        actorId: null,
        organisationId: d.studio_id,
        action: 'deliverable.qc_recorded',
        entityType: 'deliverable',
        entityId: d.id,
        after: { run: claim.run, attempt: claim.attempt, status: r.status, failed, error: r.error ?? null },
      });
      // The studio hears of a result, and of an error once retries are over.
      if (r.status === 'not_video' || (r.status === 'error' && !last)) return;
      const ctx = (await qcContext(em, d.milestone_id))!;
      await this.outbox.emit(
        em,
        r.status === 'pass' || r.status === 'warning' ? 'deliverable.qc_passed' : 'deliverable.qc_failed',
        {
          recipients: { organisationIds: [d.studio_id], roles: [...SIGNERS.studio] },
          data: {
            deliverableId: d.id,
            fileName: d.file_name,
            milestoneId: d.milestone_id,
            milestoneTitle: ctx.milestone_title,
            contractId: ctx.contract_id,
            status: r.status,
            failedChecks: r.error ? r.error.code : failed.join(', '),
          },
        },
      );
    });
  }
}
