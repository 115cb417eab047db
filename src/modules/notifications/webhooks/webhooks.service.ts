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
import { CommonErrors, notFound } from '../../../shared/errors/common.errors';
import { DomainError, defineErrors } from '../../../shared/errors/domain-error';
import {
  cursorTsSql,
  decodeCursor,
  toPage,
  type Page,
  type PageQuery,
} from '../../../shared/http/pagination';
import { type NotificationType, type OutboxRow } from '../../../shared/outbox/events';
import { eventPayloadFieldSql } from '../../../shared/outbox/outbox-sql';
import { OutboxService } from '../../../shared/outbox/outbox.service';
import { QUEUES, type OutboxJobData } from '../../../shared/queue/queue.constants';
import { preparedQuery } from '../../../shared/database/prepared';
import { recipientOrganisationsSql } from '../recipients.read-model';
import { QueueService } from '../../../shared/queue/queue.service';
import {
  assertLiteralTarget,
  guardedLookup,
  parseTargetUrl,
  resolveTarget,
  TargetInvalid,
  TargetRefused,
} from './target-guard';

export interface WebhookDto {
  id: string;
  url: string;
  events: string[];
  createdAt: string;
}

export interface DeliveryDto {
  id: string;
  eventType: string;
  status: string;
  attempts: { at: string; statusCode: number | null; durationMs: number; error: string | null }[];
  createdAt: string;
  deliveredAt: string | null;
}

const TIMEOUT_MS = 10_000;

/** A target the guard refuses fails its delivery at once ("refused: …"), without retries. */
const refusal = (err: Error): Error =>
  err instanceof TargetRefused || err instanceof TargetInvalid ? new Error(`refused: ${err.message}`) : err;

export const WebhookErrors = defineErrors({
  WEBHOOK_TARGET_REFUSED: [
    422,
    'The webhook URL resolves to a loopback, link-local or private address, or not at all',
  ],
  WEBHOOK_URL_INVALID: [400, 'The webhook URL must be a valid http(s) URL without credentials'],
});

/**
 * Signed webhooks. Each notification event becomes one delivery per subscribed endpoint of the
 * organisations it concerns; each delivery is its own job on the `webhooks` queue (so a slow
 * or failing endpoint only ever holds its own jobs), retried with exponential backoff and
 * jitter for at least 24 h, every attempt recorded, then failed (the org admins are told).
 */
@Injectable()
export class WebhooksService implements OnModuleInit {
  private readonly key: Buffer;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly outbox: OutboxService,
    private readonly queues: QueueService,
    @InjectConfig() private readonly config: AppConfig,
  ) {
    // The encryption key of stored secrets: WEBHOOK_SECRET_KEY, its own secret so that rotating
    // JWT_SECRET does not make every stored webhook secret unreadable (and vice versa).
    const material = config.webhookSecretKey ?? developmentKey(config.keysDir, 'webhook-secret');
    this.key = Buffer.from(hkdfSync('sha256', material, 'efir', 'webhook-secrets', 32));
  }

  onModuleInit(): void {
    this.queues.onWorkerStart(() => this.startWorker());
  }

  async create(user: AuthUser, url: string, events: string[]): Promise<WebhookDto & { secret: string }> {
    this.assertAdmin(user);
    await this.assertTarget(url);
    const secret = `whsec_${randomBytes(32).toString('base64url')}`;
    const [row] = await this.ds.query<{ id: string; created_at: Date }[]>(
      `INSERT INTO webhook_endpoints (organisation_id, url, events, secret_encrypted, created_by)
       VALUES ($1, $2, $3, $4, $5) RETURNING id, created_at`,
      [user.organisationId, url, events, this.encrypt(secret), user.id],
    );
    // The secret is shown once, here; it is stored encrypted.
    return { id: row!.id, url, events, createdAt: row!.created_at.toISOString(), secret };
  }

  async list(user: AuthUser): Promise<WebhookDto[]> {
    this.assertAdmin(user);
    const rows = await this.ds.query<{ id: string; url: string; events: string[]; created_at: Date }[]>(
      `SELECT id, url, events, created_at FROM webhook_endpoints
        WHERE organisation_id = $1 AND disabled_at IS NULL ORDER BY created_at, id`,
      [user.organisationId],
    );
    return rows.map((r) => ({
      id: r.id,
      url: r.url,
      events: r.events,
      createdAt: r.created_at.toISOString(),
    }));
  }

  async remove(user: AuthUser, id: string): Promise<void> {
    this.assertAdmin(user);
    const [, n] = await this.ds.query<[unknown[], number]>(
      `UPDATE webhook_endpoints SET disabled_at = now() WHERE id = $1 AND organisation_id = $2 AND disabled_at IS NULL`,
      [id, user.organisationId],
    );
    if (!n) throw notFound('Webhook not found');
  }

  async deliveries(user: AuthUser, endpointId: string, q: PageQuery): Promise<Page<DeliveryDto>> {
    this.assertAdmin(user);
    const [own] = await this.ds.query<unknown[]>(
      'SELECT 1 FROM webhook_endpoints WHERE id = $1 AND organisation_id = $2',
      [endpointId, user.organisationId],
    );
    if (!own) throw notFound('Webhook not found');
    const after = decodeCursor(q.cursor);
    const rows = await this.ds.query<
      {
        id: string;
        event_type: string;
        status: string;
        created_at: Date;
        delivered_at: Date | null;
        attempts: DeliveryDto['attempts'] | null;
        cursor_ts: string;
      }[]
    >(
      `SELECT d.id, d.event_type, d.status, d.created_at, d.delivered_at, ${cursorTsSql('d.created_at')} AS cursor_ts,
              (SELECT json_agg(json_build_object('at', a.attempted_at, 'statusCode', a.status_code,
                        'durationMs', a.duration_ms, 'error', a.error) ORDER BY a.attempted_at)
                 FROM webhook_attempts a WHERE a.delivery_id = d.id) AS attempts
         FROM webhook_deliveries d WHERE d.endpoint_id = $1
          AND ($2::timestamptz IS NULL OR (d.created_at, d.id) < ($2::timestamptz, $3::uuid))
        ORDER BY d.created_at DESC, d.id DESC LIMIT $4`,
      [endpointId, after?.ts ?? null, after?.id ?? null, q.limit + 1],
    );
    return toPage(rows, q.limit, (r) => ({
      id: r.id,
      eventType: r.event_type,
      status: r.status,
      attempts: r.attempts ?? [],
      createdAt: r.created_at.toISOString(),
      deliveredAt: r.delivered_at?.toISOString() ?? null,
    }));
  }

  /** Sends a delivery again (a new job, the same Efir-Delivery id). */
  async redeliver(user: AuthUser, deliveryId: string): Promise<{ id: string; status: string }> {
    this.assertAdmin(user);
    return this.ds.transaction(async (em) => {
      const [d] = await em.query<{ id: string }[]>(
        `SELECT d.id FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
          WHERE d.id = $1 AND e.organisation_id = $2 AND e.disabled_at IS NULL FOR UPDATE OF d`,
        [deliveryId, user.organisationId],
      );
      if (!d) throw notFound('Delivery not found');
      await em.query(`UPDATE webhook_deliveries SET status = 'pending' WHERE id = $1`, [deliveryId]);
      await this.outbox.emit(em, 'webhook.deliver', { deliveryId });
      return { id: deliveryId, status: 'pending' };
    });
  }

  /** Outbox handler: one delivery per subscribed endpoint of the organisations concerned. */
  async fanOut(event: OutboxRow<NotificationType>, em: EntityManager): Promise<void> {
    const { recipients, data } = event.payload;
    const body = { id: event.id, type: event.type, occurredAt: new Date().toISOString(), data };
    const params: unknown[] = [event.id, event.type, JSON.stringify(body)];
    const orgs = recipientOrganisationsSql(recipients, params);
    if (!orgs) return;
    const rows = await preparedQuery<{ id: string }>(
      em,
      `WITH orgs AS (${orgs})
       INSERT INTO webhook_deliveries (endpoint_id, event_id, event_type, body)
       SELECT e.id, $1, $2, $3::jsonb FROM webhook_endpoints e JOIN orgs ON orgs.id = e.organisation_id
        WHERE e.disabled_at IS NULL AND ($2 = ANY(e.events) OR '*' = ANY(e.events))
       ON CONFLICT (endpoint_id, event_id) DO NOTHING RETURNING id`,
      params,
    );
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
    const [d] = await this.ds.query<
      {
        id: string;
        status: string;
        body: { type: string };
        url: string;
        secret_encrypted: string;
        organisation_id: string;
        disabled: boolean;
      }[]
    >(
      `SELECT d.id, d.status, d.body, e.url, e.secret_encrypted, e.organisation_id, e.disabled_at IS NOT NULL AS disabled
         FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
        WHERE d.id = ${eventPayloadFieldSql('$1', 'deliveryId')}::uuid`,
      [job.data.outboxId],
    );
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
      await em.query(
        `INSERT INTO webhook_attempts (delivery_id, status_code, duration_ms, error) VALUES ($1, $2, $3, $4)`,
        [d.id, statusCode, Date.now() - started, error],
      );
      await em.query(
        `UPDATE webhook_deliveries SET attempts = attempts + 1, status = $2, delivered_at = CASE WHEN $3 THEN now() END
          WHERE id = $1`,
        [d.id, ok ? 'delivered' : last ? 'failed' : 'pending', ok],
      );
      if (!ok && last) {
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
