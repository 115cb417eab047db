import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { preparedQuery } from '../../../shared/database/prepared';
import { transition, transitionOrThrow } from '../../../shared/database/transition';
import { cursorTsSql, type Keyset } from '../../../shared/http/pagination';
import type { Recipients } from '../../../shared/outbox/events';
import { eventPayloadFieldSql } from '../../../shared/outbox/outbox-sql';
import { recipientOrganisationsSql } from '../recipients.read-model';
import type { DeliveryDto, WebhookDto } from './dto/webhook.dto';
import { webhookDeliveryLifecycle, type WebhookDeliveryStatus } from './webhook-delivery-status';

export interface WebhookEndpointRow {
  id: string;
  url: string;
  events: string[];
  created_at: Date;
}

/** An endpoint as its organisation sees it; a disabled (deleted) one keeps its deliveries. */
export interface WebhookEndpointRef {
  id: string;
  disabled: boolean;
}

export interface DeliveryRow {
  id: string;
  event_type: string;
  status: WebhookDeliveryStatus;
  created_at: Date;
  delivered_at: Date | null;
  attempts: DeliveryDto['attempts'] | null;
  cursor_ts: string;
}

/** What one delivery attempt needs: the delivery, its body and its endpoint. */
export interface DeliveryJobRow {
  id: string;
  status: WebhookDeliveryStatus;
  body: { type: string };
  url: string;
  secret_encrypted: string;
  organisation_id: string;
  disabled: boolean;
}

export const toWebhookDto = (r: WebhookEndpointRow): WebhookDto => ({
  id: r.id,
  url: r.url,
  events: r.events,
  createdAt: r.created_at.toISOString(),
});

export const toDeliveryDto = (r: DeliveryRow): DeliveryDto => ({
  id: r.id,
  eventType: r.event_type,
  status: r.status,
  attempts: r.attempts ?? [],
  createdAt: r.created_at.toISOString(),
  deliveredAt: r.delivered_at?.toISOString() ?? null,
});

/** Webhook endpoints, deliveries and attempts (webhook_endpoints, webhook_deliveries, webhook_attempts). */
@Injectable()
export class WebhooksRepository {
  async insertEndpoint(
    em: EntityManager,
    e: { organisationId: string; url: string; events: string[]; secretEncrypted: string; createdBy: string },
  ): Promise<{ id: string; created_at: Date }> {
    const [row] = await em.query<{ id: string; created_at: Date }[]>(
      `INSERT INTO webhook_endpoints (organisation_id, url, events, secret_encrypted, created_by)
       VALUES ($1, $2, $3, $4, $5) RETURNING id, created_at`,
      [e.organisationId, e.url, e.events, e.secretEncrypted, e.createdBy],
    );
    return row!;
  }

  /** One page of the organisation's live endpoints, oldest first, after the keyset `after`. */
  listEndpoints(
    em: EntityManager,
    organisationId: string,
    after: Keyset | null,
    limit: number,
  ): Promise<(WebhookEndpointRow & { cursor_ts: string })[]> {
    return em.query<(WebhookEndpointRow & { cursor_ts: string })[]>(
      `SELECT id, url, events, created_at, ${cursorTsSql('created_at')} AS cursor_ts FROM webhook_endpoints
        WHERE organisation_id = $1 AND disabled_at IS NULL
          AND ($2::timestamptz IS NULL OR (created_at, id) > ($2::timestamptz, $3::uuid))
        ORDER BY created_at, id LIMIT $4`,
      [organisationId, after?.ts ?? null, after?.id ?? null, limit],
    );
  }

  /** The endpoint if it belongs to the organisation (disabled ones too); `lock` takes it FOR UPDATE. */
  async findEndpoint(
    em: EntityManager,
    id: string,
    organisationId: string,
    lock: boolean,
  ): Promise<WebhookEndpointRef | undefined> {
    const [row] = await em.query<WebhookEndpointRef[]>(
      `SELECT id, disabled_at IS NOT NULL AS disabled FROM webhook_endpoints
        WHERE id = $1 AND organisation_id = $2${lock ? ' FOR UPDATE' : ''}`,
      [id, organisationId],
    );
    return row;
  }

  /** Disables the organisation's live endpoint; answers whether there was one. */
  async disableEndpoint(em: EntityManager, id: string, organisationId: string): Promise<boolean> {
    const [, n] = await em.query<[unknown[], number]>(
      `UPDATE webhook_endpoints SET disabled_at = now() WHERE id = $1 AND organisation_id = $2 AND disabled_at IS NULL`,
      [id, organisationId],
    );
    return n > 0;
  }

  /** An endpoint's deliveries with their attempts, newest first, after the keyset `after`. */
  listDeliveries(
    em: EntityManager,
    endpointId: string,
    after: Keyset | null,
    limit: number,
  ): Promise<DeliveryRow[]> {
    return em.query<DeliveryRow[]>(
      `SELECT d.id, d.event_type, d.status, d.created_at, d.delivered_at, ${cursorTsSql('d.created_at')} AS cursor_ts,
              (SELECT json_agg(json_build_object('at', a.attempted_at, 'statusCode', a.status_code,
                        'durationMs', a.duration_ms, 'error', a.error) ORDER BY a.attempted_at)
                 FROM webhook_attempts a WHERE a.delivery_id = d.id) AS attempts
         FROM webhook_deliveries d WHERE d.endpoint_id = $1
          AND ($2::timestamptz IS NULL OR (d.created_at, d.id) < ($2::timestamptz, $3::uuid))
        ORDER BY d.created_at DESC, d.id DESC LIMIT $4`,
      [endpointId, after?.ts ?? null, after?.id ?? null, limit],
    );
  }

  /**
   * The delivery if it belongs to a live endpoint of the organisation; `lock` takes the delivery
   * (not the endpoint) FOR UPDATE.
   */
  async findDelivery(
    em: EntityManager,
    id: string,
    organisationId: string,
    lock: boolean,
  ): Promise<{ id: string } | undefined> {
    const [d] = await em.query<{ id: string }[]>(
      `SELECT d.id FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
          WHERE d.id = $1 AND e.organisation_id = $2 AND e.disabled_at IS NULL${lock ? ' FOR UPDATE OF d' : ''}`,
      [id, organisationId],
    );
    return d;
  }

  /** The one way a delivery's status changes: only along webhookDeliveryLifecycle. */
  transition(
    em: EntityManager,
    id: string,
    to: WebhookDeliveryStatus,
    options: { set?: string; params?: unknown[] } = {},
  ): Promise<{ id: string; status: WebhookDeliveryStatus } | undefined> {
    return transition(em, 'webhook_deliveries', webhookDeliveryLifecycle, id, to, options);
  }

  /** `transition`, throwing WEBHOOK_DELIVERY_STATE_CONFLICT when the move is not allowed. */
  transitionOrThrow(
    em: EntityManager,
    id: string,
    to: WebhookDeliveryStatus,
  ): Promise<{ id: string; status: WebhookDeliveryStatus }> {
    return transitionOrThrow(em, 'webhook_deliveries', webhookDeliveryLifecycle, id, to);
  }

  /** Counts an attempt and moves the delivery to `to`, stamping `delivered_at` when it succeeded. */
  recordAttempt(
    em: EntityManager,
    id: string,
    to: WebhookDeliveryStatus,
    ok: boolean,
  ): Promise<{ id: string; status: WebhookDeliveryStatus } | undefined> {
    return this.transition(em, id, to, {
      set: 'attempts = attempts + 1, delivered_at = CASE WHEN $4 THEN now() END',
      params: [ok],
    });
  }

  async insertAttempt(
    em: EntityManager,
    a: { deliveryId: string; statusCode: number | null; durationMs: number; error: string | null },
  ): Promise<void> {
    await em.query(
      `INSERT INTO webhook_attempts (delivery_id, status_code, duration_ms, error) VALUES ($1, $2, $3, $4)`,
      [a.deliveryId, a.statusCode, a.durationMs, a.error],
    );
  }

  /**
   * One pending delivery per live endpoint, subscribed to the event, of the organisations it
   * concerns (idempotent by endpoint and event); answers the new deliveries. A named prepared
   * statement: it runs for every notification event.
   */
  async insertDeliveries(
    em: EntityManager,
    e: { eventId: string; type: string; bodyJson: string; recipients: Recipients },
  ): Promise<{ id: string }[]> {
    const params: unknown[] = [e.eventId, e.type, e.bodyJson];
    const orgs = recipientOrganisationsSql(e.recipients, params);
    if (!orgs) return [];
    return preparedQuery<{ id: string }>(
      em,
      `WITH orgs AS (${orgs})
       INSERT INTO webhook_deliveries (endpoint_id, event_id, event_type, body)
       SELECT e.id, $1, $2, $3::jsonb FROM webhook_endpoints e JOIN orgs ON orgs.id = e.organisation_id
        WHERE e.disabled_at IS NULL AND ($2 = ANY(e.events) OR '*' = ANY(e.events))
       ON CONFLICT (endpoint_id, event_id) DO NOTHING RETURNING id`,
      params,
    );
  }

  /** The delivery of a `webhook.deliver` outbox event, with its endpoint. */
  async findForAttempt(em: EntityManager, outboxId: string): Promise<DeliveryJobRow | undefined> {
    const [d] = await em.query<DeliveryJobRow[]>(
      `SELECT d.id, d.status, d.body, e.url, e.secret_encrypted, e.organisation_id, e.disabled_at IS NOT NULL AS disabled
         FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
        WHERE d.id = ${eventPayloadFieldSql('$1', 'deliveryId')}::uuid`,
      [outboxId],
    );
    return d;
  }
}
