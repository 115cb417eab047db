import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { InjectConfig } from '../../../config/config.module';
import type { AppConfig } from '../../../config/env';
import type { AuthUser } from '../../../shared/auth/auth-user';
import { CommonErrors, notFound } from '../../../shared/errors/common.errors';
import { DomainError } from '../../../shared/errors/domain-error';
import { sendCsv, wantsCsv } from '../../../shared/http/csv';
import type { LocalContentQuery, LocalContentReportDto } from './dto/local-content.dto';
import { localContentFigures } from './local-content';
import { LocalContentReadModel } from './local-content.read-model';

export const LOCAL_CONTENT_FORMULAS = {
  allNew: 'max(0, (p·T − K) / (1 − p)), in whole minutes rounded up',
  replacement: 'max(0, p·T − K), in whole minutes rounded up',
};

export const LOCAL_CONTENT_NOTE =
  'Measures commissioning, not broadcast airtime: the programmes of the contracts this broadcaster ' +
  'signed in the year (minutes = episodes × episode minutes; Kazakh minutes = episodes × the ' +
  'Kazakh audio minutes of an episode, subtitles not counted). p = target share, T = commissioned ' +
  'minutes, K = Kazakh minutes.';

/** The CSV's columns: one row per contract, then a `domestic`, a `foreign` and a `total` row. */
const CSV_COLUMNS = [
  'row',
  'contract_id',
  'brief_id',
  'studio_id',
  'studio',
  'domestic',
  'signed_at',
  'episodes',
  'episode_minutes',
  'audio_languages',
  'minutes',
  'kazakh_minutes',
  'kazakh_share',
  'accepted_minutes',
  'accepted_kazakh_minutes',
  'accepted_kazakh_share',
  'spend',
  'currency',
  'target_share',
  'minutes_needed_all_new',
  'minutes_needed_replacement',
] as const;

/** A CSV row from its cells by column; the cells not given (or null) stay empty. */
const csvRow = (cells: Partial<Record<(typeof CSV_COLUMNS)[number], unknown>>): unknown[] =>
  CSV_COLUMNS.map((c) => cells[c] ?? '');

/** The report as CSV rows: the contracts, the domestic / foreign split, the totals. */
export function localContentCsv(r: LocalContentReportDto): unknown[][] {
  const { commissioned: c, accepted: a } = r;
  const split = (row: string, part: typeof c.domestic): unknown[] =>
    csvRow({ row, minutes: part.minutes, spend: part.spend.amount, currency: part.spend.currency });
  return [
    ...r.contracts.map((k) =>
      csvRow({
        row: 'contract',
        contract_id: k.contractId,
        brief_id: k.briefId,
        studio_id: k.studio.id,
        studio: k.studio.name,
        domestic: String(k.domestic),
        signed_at: k.signedAt,
        episodes: k.episodes,
        episode_minutes: k.episodeMinutes,
        audio_languages: k.audioLanguages.map((l) => `${l.language}:${l.minutes}`).join(' '),
        minutes: k.minutes,
        kazakh_minutes: k.kazakhMinutes,
        accepted_minutes: k.accepted ? k.minutes : 0,
        accepted_kazakh_minutes: k.accepted ? k.kazakhMinutes : 0,
        spend: k.value.amount,
        currency: k.value.currency,
      }),
    ),
    split('domestic', c.domestic),
    split('foreign', c.foreign),
    csvRow({
      row: 'total',
      minutes: c.minutes,
      kazakh_minutes: c.kazakhMinutes,
      kazakh_share: c.kazakhShare,
      accepted_minutes: a.minutes,
      accepted_kazakh_minutes: a.kazakhMinutes,
      accepted_kazakh_share: a.kazakhShare,
      spend: c.spend.amount,
      currency: c.spend.currency,
      target_share: r.target.share,
      minutes_needed_all_new: r.minutesNeeded?.allNew,
      minutes_needed_replacement: r.minutesNeeded?.replacement,
    }),
  ];
}

/** The local-content report of a broadcaster and year (api.md "Transparency"), JSON or CSV. */
@Injectable()
export class LocalContentService {
  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly readModel: LocalContentReadModel,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async report(user: AuthUser, q: LocalContentQuery): Promise<LocalContentReportDto> {
    const broadcasterId = await this.broadcasterFor(user, q.broadcasterId);
    const counted = await this.readModel.countedContracts(this.ds.manager, broadcasterId, q.year);
    const share = this.config.localContentTargets.get(q.year) ?? null;
    const { contracts, ...figures } = localContentFigures(counted, share);
    return {
      broadcasterId,
      year: q.year,
      basis: 'commissioned',
      target: { share, source: share === null ? 'none' : 'LOCAL_CONTENT_TARGETS' },
      ...figures,
      formulas: LOCAL_CONTENT_FORMULAS,
      note: LOCAL_CONTENT_NOTE,
      contracts,
    };
  }

  /** The report as JSON, or as CSV when the client asked for it. */
  async send(
    user: AuthUser,
    q: LocalContentQuery,
    accept: string | undefined,
    reply: FastifyReply,
  ): Promise<void> {
    const r = await this.report(user, q);
    if (!wantsCsv(accept)) return void (await reply.send(r));
    await sendCsv(reply, `local-content-${r.year}`, [...CSV_COLUMNS], localContentCsv(r));
  }

  /**
   * Whose report: the caller's own broadcaster, or for the operator the `broadcasterId` given
   * (required: 400 without; 404 when it is no broadcaster). Another broadcaster's id is 404.
   */
  private async broadcasterFor(user: AuthUser, broadcasterId: string | undefined): Promise<string> {
    if (user.organisationKind === 'broadcaster') {
      if (broadcasterId !== undefined && broadcasterId !== user.organisationId) {
        throw notFound('Broadcaster not found');
      }
      return user.organisationId;
    }
    if (broadcasterId === undefined) {
      throw new DomainError(CommonErrors.VALIDATION_FAILED, 'broadcasterId is required for the operator', {
        errors: [{ field: 'broadcasterId', message: 'broadcasterId is required for the operator' }],
      });
    }
    if (!(await this.readModel.isBroadcaster(this.ds.manager, broadcasterId))) {
      throw notFound('Broadcaster not found');
    }
    return broadcasterId;
  }
}
