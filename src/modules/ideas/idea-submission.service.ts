import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { InjectConfig } from '../../config/config.module';
import type { AppConfig } from '../../config/env';
import { notFound } from '../../shared/errors/common.errors';
import { DomainError } from '../../shared/errors/domain-error';
import { OutboxService } from '../../shared/outbox/outbox.service';
import { RateLimiter, type RateLimitRule } from '../../shared/rate-limit/rate-limiter';
import { AuditService } from '../audit/audit.service';
import { SigningService } from '../audit/signing/signing.service';
import type {
  FormTokenDto,
  IdeaSubmissionDto,
  ReceiptVerificationDto,
  SubmitIdeaDto,
} from './dto/idea-submission.dto';
import { isDisposableEmail } from './disposable-email';
import { FORM_TOKEN_TTL_MS, FormTokens } from './form-token';
import { IdeaHmac } from './idea-hmac';
import { IdeaMailService } from './idea-mail.service';
import { IdeaErrors } from './ideas.errors';
import { receiptCanonical, receiptMessage, sha256Hex } from './receipt';
import { IdeaCallsRepository } from './repositories/idea-calls.repository';
import { IdeaSubmissionsRepository } from './repositories/idea-submissions.repository';
import { IdeasRepository } from './repositories/ideas.repository';

/**
 * The public submission of ideas: the form token, the anti-abuse checks (cheapest first, and a
 * refused submission stores nothing but its count in the per-address limit), the signed receipt
 * and its verification.
 */
@Injectable()
export class IdeaSubmissionService {
  private readonly minFormMs: number;
  private readonly perIp: RateLimitRule;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @InjectConfig() config: AppConfig,
    private readonly repo: IdeaSubmissionsRepository,
    private readonly calls: IdeaCallsRepository,
    private readonly ideas: IdeasRepository,
    private readonly forms: FormTokens,
    private readonly hmac: IdeaHmac,
    private readonly limiter: RateLimiter,
    private readonly signing: SigningService,
    private readonly outbox: OutboxService,
    private readonly mail: IdeaMailService,
    private readonly audit: AuditService,
  ) {
    this.minFormMs = config.ideas.minFormSeconds * 1000;
    this.perIp = {
      bucket: 'idea-submission',
      limit: config.ideas.submissionsPerIpPerHour,
      periodSeconds: 3600,
    };
  }

  /** A form token for an open call, stamped with the database time. */
  async form(callId: string): Promise<FormTokenDto> {
    const em = this.ds.manager;
    if (!(await this.calls.findOpen(em, callId))) throw notFound('Idea call not found');
    return { formToken: this.forms.issue(callId, await this.repo.nowMs(em)) };
  }

  async submit(callId: string, dto: SubmitIdeaDto, clientIp: string): Promise<IdeaSubmissionDto> {
    // Bot traps first: they cost nothing and do not use up the address's allowance.
    if (dto.website) throw new DomainError(IdeaErrors.HONEYPOT);
    const token = this.forms.read(dto.formToken, callId);
    if (!token) throw new DomainError(IdeaErrors.FORM_TOKEN_INVALID);
    const ageMs = (await this.repo.nowMs(this.ds.manager)) - token.issuedAtMs;
    if (ageMs > FORM_TOKEN_TTL_MS)
      throw new DomainError(IdeaErrors.FORM_TOKEN_INVALID, 'The form has expired; reload it');
    if (ageMs < this.minFormMs) throw new DomainError(IdeaErrors.FORM_TOO_FAST);

    // Past the traps every attempt counts toward the address's limit, accepted or not, so cycling
    // through e-mail addresses is throttled too. IPv6 clients count by their /64, as in the login
    // limits (one host holds millions of addresses).
    const ipHash = this.hmac.ip(clientIp);
    await this.limiter.enforce(this.perIp, ipHash, 'Too many ideas from this address; try again later');
    if (isDisposableEmail(dto.email)) throw new DomainError(IdeaErrors.EMAIL_DISPOSABLE);
    if (dto.consent !== true) throw new DomainError(IdeaErrors.CONSENT_REQUIRED);

    return this.ds.transaction(async (em) => {
      // The call was open when the form was issued (its token says so), so its existence is no
      // secret: a call that has closed or been cancelled since is a 409, not a 404.
      const call = await this.calls.findOpen(em, callId, true);
      if (!call) throw new DomainError(IdeaErrors.IDEA_CALL_CLOSED, 'The idea call no longer takes ideas');
      if (!(await this.repo.useFormToken(em, token.nonce))) {
        throw new DomainError(IdeaErrors.FORM_TOKEN_INVALID, 'The form was already sent; reload it');
      }

      const ideaId = randomUUID();
      const receivedAt = (await this.repo.receivedAt(em)).toISOString();
      const text = { title: dto.title, logline: dto.logline, description: dto.description };
      const canonical = receiptCanonical({ callId: call.id, ...text, submitterName: dto.name });
      const sha256 = sha256Hex(canonical);
      const { signature, keyId } = this.signing.sign(receiptMessage(sha256, receivedAt, ideaId));

      await this.repo.insertIdea(em, {
        id: ideaId,
        callId: call.id,
        ...text,
        credit: dto.credit,
        sha256,
        signature,
        keyId,
        receivedAt,
      });
      await this.repo.insertSubmitter(em, {
        ideaId,
        name: dto.name,
        email: dto.email,
        ipHash,
        consentVersion: dto.consentVersion,
      });
      const similar = await this.ideas.similar(em, call.id, text);
      await this.ideas.rememberSimilar(em, ideaId, similar);

      await this.outbox.emit(em, 'idea.submitted', {
        recipients: { organisationIds: [call.broadcaster_id], roles: ['commissioner', 'admin'] },
        data: { ideaId, callId: call.id, callTitle: call.title, ideaTitle: dto.title },
      });
      await this.mail.queue(em, 'receipt', { ideaId });
      // Ids, status and hash only: the audit log never holds a name, an e-mail or an address.
      await this.audit.record(em, {
        actorId: null,
        organisationId: call.broadcaster_id,
        action: 'idea.submitted',
        entityType: 'idea',
        entityId: ideaId,
        after: { status: 'pending', sha256 },
      });
      return {
        idea: { id: ideaId, status: 'pending' },
        receipt: { ideaId, sha256, canonical, receivedAt, signature, keyId },
        similar,
      };
    });
  }

  async verify(ideaId: string, sha256: string): Promise<ReceiptVerificationDto> {
    const receivedAt = await this.repo.receivedAtOf(this.ds.manager, ideaId, sha256);
    return receivedAt ? { received: true, receivedAt: receivedAt.toISOString() } : { received: false };
  }
}
