import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { UnrecoverableError, type Job } from 'bullmq';
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { DataSource, type EntityManager } from 'typeorm';
import { developmentKey } from '../../../shared/secrets/development-key';
import { InjectConfig } from '../../../config/config.module';
import type { AppConfig } from '../../../config/env';
import type { AuthUser } from '../../../shared/auth/auth-user';
import { requireAccess } from '../../../shared/auth/access';
import { CommonErrors, notFound } from '../../../shared/errors/common.errors';
import { DomainError } from '../../../shared/errors/domain-error';
import { decodeCursor, toPage, type Page, type PageQuery } from '../../../shared/http/pagination';
import { type NotificationType, type OutboxRow } from '../../../shared/outbox/events';
import { OutboxService } from '../../../shared/outbox/outbox.service';
import { QUEUES, type OutboxJobData } from '../../../shared/queue/queue.constants';
import { QueueService } from '../../../shared/queue/queue.service';
import type { DeliveryDto, RedeliveryDto, WebhookCreatedDto, WebhookDto } from './dto/webhook.dto';
import {
  assertLiteralTarget,
  guardedLookup,
  parseTargetUrl,
  resolveTarget,
  TargetInvalid,
  TargetRefused,
} from './target-guard';
import { webhookAccess, webhookDeliveryAccess } from './webhook.access';
import { WebhookErrors } from './webhooks.errors';
import { toDeliveryDto, toWebhookDto, WebhooksRepository } from './webhooks.repository';

const TIMEOUT_MS = 10_000;

/** A target the guard refuses fails its delivery at once ("refused: …"), without retries. */
const refusal = (err: Error): Error =>
  err instanceof TargetRefused || err instanceof TargetInvalid ? new Error(`refused: ${err.message}`) : err;

/**
 * Signed webhooks. Each notification event becomes one delivery per subscribed endpoint of the
 * organisations it concerns; each delivery is its own job on the `webhooks` queue (so a slow
 * or failing endpoint only ever holds its own jobs), retried with exponential backoff and
 * jitter for at least 24 h, every attempt recorded, then failed (the org admins are told).
 */
@Injectable()
export class WebhooksService implements OnModuleInit {
  private readonly key: Buffer;
  private readonly endpoints: ReturnType<typeof webhookAccess>;
  private readonly deliveryAccess: ReturnType<typeof webhookDeliveryAccess>;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly repo: WebhooksRepository,
    private readonly outbox: OutboxService,
    private readonly queues: QueueService,
    @InjectConfig() private readonly config: AppConfig,
  ) {
    // The encryption key of stored secrets: WEBHOOK_SECRET_KEY, its own secret so that rotating
    // JWT_SECRET does not make every stored webhook secret unreadable (and vice versa).
    const material = config.webhookSecretKey ?? developmentKey(config.keysDir, 'webhook-secret');
    this.key = Buffer.from(hkdfSync('sha256', material, 'efir', 'webhook-secrets', 32));
    this.endpoints = webhookAccess(repo);
    this.deliveryAccess = webhookDeliveryAccess(repo);
  }

  onModuleInit(): void {
    this.queues.onWorkerStart(() => this.startWorker());
  }

  async create(user: AuthUser, url: string, events: string[]): Promise<WebhookCreatedDto> {
    this.assertAdmin(user);
    await this.assertTarget(url);
    const secret = `whsec_${randomBytes(32).toString('base64url')}`;
    const row = await this.repo.insertEndpoint(this.ds.manager, {
      organisationId: user.organisationId,
      url,
      events,
      secretEncrypted: this.encrypt(secret),
      createdBy: user.id,
    });
    // The secret is shown once, here; it is stored encrypted.
    return { id: row.id, url, events, createdAt: row.created_at.toISOString(), secret };
  }

  /** Live endpoints, oldest first; the cursor is the last one's (createdAt, id). */
  async list(user: AuthUser, q: PageQuery): Promise<Page<WebhookDto>> {
    this.assertAdmin(user);
    const after = decodeCursor(q.cursor);
    const rows = await this.repo.listEndpoints(this.ds.manager, user.organisationId, after, q.limit + 1);
    return toPage(rows, q.limit, toWebhookDto);
  }

  async remove(user: AuthUser, id: string): Promise<void> {
    this.assertAdmin(user);
    const em = this.ds.manager;
    await requireAccess(this.endpoints, em, user, id, 'remove');
    // A removed (disabled) endpoint is gone for this route.
    if (!(await this.repo.disableEndpoint(em, id, user.organisationId))) throw notFound('Webhook not found');
  }

  async deliveries(user: AuthUser, endpointId: string, q: PageQuery): Promise<Page<DeliveryDto>> {
    this.assertAdmin(user);
    const em = this.ds.manager;
    await requireAccess(this.endpoints, em, user, endpointId, 'readDeliveries');
    const rows = await this.repo.listDeliveries(em, endpointId, decodeCursor(q.cursor), q.limit + 1);
    return toPage(rows, q.limit, toDeliveryDto);
  }

  /** Sends a delivery again (a new job, the same Efir-Delivery id). */
  async redeliver(user: AuthUser, deliveryId: string): Promise<RedeliveryDto> {
    this.assertAdmin(user);
    return this.ds.transaction(async (em) => {
      await requireAccess(this.deliveryAccess, em, user, deliveryId, 'redeliver', { lock: true });
      // Any status may become pending again (webhookDeliveryLifecycle).
      await this.repo.transitionOrThrow(em, deliveryId, 'pending');
      await this.outbox.emit(em, 'webhook.deliver', { deliveryId });
      return { id: deliveryId, status: 'pending' };
    });
  }

  /** Outbox handler: one delivery per subscribed endpoint of the organisations concerned. */
  async fanOut(event: OutboxRow<NotificationType>, em: EntityManager): Promise<void> {
    const { recipients, data } = event.payload;
    const body = { id: event.id, type: event.type, occurredAt: new Date().toISOString(), data };
    const rows = await this.repo.insertDeliveries(em, {
      eventId: event.id,
      type: event.type,
      bodyJson: JSON.stringify(body),
      recipients,
    });
    for (const r of rows) await this.outbox.emit(em, 'webhook.deliver', { deliveryId: r.id });
  }

  private startWorker(): void {
    const base = this.config.webhookRetryBaseSeconds * 1000;
    this.queues.startWorker<OutboxJobData>(QUEUES.webhooks, (job) => this.deliver(job), {
      concurrency: 20,
      settings: {
        // Exponential with ±20 % jitter: base · 2^(n−1).
        backoffStrategy: (attemptsMade: number) =>
          Math.round(base * 2 ** (attemptsMade - 1) * (0.8 + Math.random() * 0.4)),
      },
    });
  }

  /** One attempt; throws to have BullMQ retry, and records the dead letter after the last. */
  async deliver(job: Job<OutboxJobData>): Promise<void> {
    const d = await this.repo.findForAttempt(this.ds.manager, job.data.outboxId);
    if (!d || d.status !== 'pending' || d.disabled) return this.markHandled(job.data.outboxId);
    const body = JSON.stringify(d.body);
    const timestamp = Math.floor(Date.now() / 1000).toString();
    const signature = createHmac('sha256', this.decrypt(d.secret_encrypted))
      .update(`${timestamp}.${body}`)
      .digest('hex');
    const started = Date.now();
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      statusCode = await this.post(d.url, body, {
        'Content-Type': 'application/json',
        'User-Agent': 'Efir-Webhooks/1',
        'Efir-Event': d.body.type,
        'Efir-Delivery': d.id,
        'Efir-Timestamp': timestamp,
        'Efir-Signature': `v1=${signature}`,
      });
      if (statusCode < 200 || statusCode >= 300) error = `HTTP ${statusCode}`;
    } catch (err) {
      error = (err as Error).message;
    }
    const ok = error === null;
    const refused = !ok && error?.startsWith('refused:') === true;
    const last = refused || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    await this.ds.transaction(async (em) => {
      await this.repo.insertAttempt(em, {
        deliveryId: d.id,
        statusCode,
        durationMs: Date.now() - started,
        error,
      });
      // Guarded by the lifecycle: a delivery another run has settled meanwhile stays as it is
      // (and its admins are not told of a failure it did not end in).
      const moved = await this.repo.recordAttempt(
        em,
        d.id,
        ok ? 'delivered' : last ? 'failed' : 'pending',
        ok,
      );
      if (!ok && last && moved) {
        await this.outbox.emit(em, 'webhook.failed', {
          recipients: { organisationIds: [d.organisation_id], roles: ['admin'] },
          data: { deliveryId: d.id, url: d.url, eventType: d.body.type },
        });
      }
      if (ok || last) await this.outbox.markHandled(em, job.data.outboxId);
    });
    if (refused) throw new UnrecoverableError(error!);
    if (!ok && !last) throw new Error(error!);
  }

  private markHandled(outboxId: string): Promise<void> {
    return this.outbox.markHandled(this.ds.manager, outboxId);
  }

  /**
   * POSTs with a 10 s timeout, connecting only to addresses the target guard accepts. The
   * timeout is one deadline for the whole exchange up to the response headers (the socket's idle
   * timeout alone never fires for a receiver that keeps trickling bytes); the response body is
   * neither read nor waited for, since only the status counts.
   */
  private post(url: string, body: string, headers: Record<string, string>): Promise<number> {
    let target: URL;
    try {
      // The registration checks again: the URL may predate them, or the setting may have changed.
      target = parseTargetUrl(url);
      assertLiteralTarget(target.hostname, this.config.webhookAllowPrivateTargets);
    } catch (err) {
      return Promise.reject(refusal(err as Error));
    }
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(
        target,
        {
          method: 'POST',
          headers: { ...headers, 'Content-Length': Buffer.byteLength(body).toString() },
          timeout: TIMEOUT_MS,
          lookup: guardedLookup(this.config.webhookAllowPrivateTargets),
        },
        (res) => {
          clearTimeout(deadline);
          res.on('error', () => undefined);
          resolve(res.statusCode ?? 0);
          res.destroy();
        },
      );
      const timedOut = (): void => void req.destroy(new Error(`timeout after ${TIMEOUT_MS} ms`));
      const deadline = setTimeout(timedOut, TIMEOUT_MS);
      req.on('timeout', timedOut);
      req.on('error', (err) => {
        clearTimeout(deadline);
        reject(refusal(err));
      });
      req.end(body);
    });
  }

  private async assertTarget(url: string): Promise<void> {
    try {
      await resolveTarget(parseTargetUrl(url).hostname, this.config.webhookAllowPrivateTargets);
    } catch (err) {
      if (err instanceof TargetInvalid) {
        const errors = [{ field: 'url', message: err.message }];
        throw new DomainError(WebhookErrors.WEBHOOK_URL_INVALID, `Invalid webhook URL: ${err.message}`, {
          errors,
        });
      }
      if (err instanceof TargetRefused)
        throw new DomainError(WebhookErrors.WEBHOOK_TARGET_REFUSED, err.message);
      throw err;
    }
  }

  private assertAdmin(user: AuthUser): void {
    if (user.role !== 'admin')
      throw new DomainError(CommonErrors.FORBIDDEN, 'Webhooks are managed by org admins');
  }

  private encrypt(secret: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return [iv, cipher.getAuthTag(), data].map((b) => b.toString('base64url')).join('.');
  }

  private decrypt(stored: string): string {
    const [iv, tag, data] = stored.split('.').map((p) => Buffer.from(p, 'base64url'));
    const decipher = createDecipheriv('aes-256-gcm', this.key, iv!);
    decipher.setAuthTag(tag!);
    return Buffer.concat([decipher.update(data!), decipher.final()]).toString('utf8');
  }
}
