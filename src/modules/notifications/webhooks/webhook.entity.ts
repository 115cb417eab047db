import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { CreatedAt, Timestamp, UuidPk } from '../../../shared/database/columns';

/** An organisation's webhook endpoint. The signing secret is stored encrypted (AES-256-GCM). */
@Entity('webhook_endpoints')
@Index('webhook_endpoints_organisation_idx', ['organisationId'])
export class WebhookEndpoint {
  @UuidPk('webhook_endpoints')
  id: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @ManyToOne('Organisation', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organisation_id', foreignKeyConstraintName: 'webhook_endpoints_organisation_fk' })
  private readonly organisation?: unknown;

  @Column({ type: 'text' })
  url: string;

  /** Notification types delivered here; '*' for all. */
  @Column({ type: 'text', array: true })
  events: string[];

  @Column({ name: 'secret_encrypted', type: 'text' })
  secretEncrypted: string;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;

  @CreatedAt()
  createdAt: Date;

  /** DELETE disables; deliveries and attempts stay for the record. */
  @Timestamp('disabled_at', { nullable: true })
  disabledAt: Date | null;
}

/** One event for one endpoint; its id is the Efir-Delivery header, the same on every retry. */
@Entity('webhook_deliveries')
@Index('webhook_deliveries_endpoint_event_key', ['endpointId', 'eventId'], { unique: true })
@Index('webhook_deliveries_endpoint_created_idx', ['endpointId', 'createdAt', 'id'])
@Check('webhook_deliveries_status_check', `status IN ('pending', 'delivered', 'failed')`)
export class WebhookDelivery {
  @UuidPk('webhook_deliveries')
  id: string;

  @Column({ name: 'endpoint_id', type: 'uuid' })
  endpointId: string;

  @ManyToOne(() => WebhookEndpoint, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'endpoint_id', foreignKeyConstraintName: 'webhook_deliveries_endpoint_fk' })
  private readonly endpoint?: WebhookEndpoint;

  @Column({ name: 'event_id', type: 'bigint' })
  eventId: string;

  @Column({ name: 'event_type', type: 'text' })
  eventType: string;

  @Column({ type: 'jsonb' })
  body: unknown;

  @Column({ type: 'text', default: 'pending' })
  status: string;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @CreatedAt()
  createdAt: Date;

  @Timestamp('delivered_at', { nullable: true })
  deliveredAt: Date | null;
}

@Entity('webhook_attempts')
@Index('webhook_attempts_delivery_idx', ['deliveryId', 'attemptedAt'])
export class WebhookAttempt {
  @UuidPk('webhook_attempts')
  id: string;

  @Column({ name: 'delivery_id', type: 'uuid' })
  deliveryId: string;

  @ManyToOne(() => WebhookDelivery, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'delivery_id', foreignKeyConstraintName: 'webhook_attempts_delivery_fk' })
  private readonly delivery?: WebhookDelivery;

  @Timestamp('attempted_at', { default: () => 'now()' })
  attemptedAt: Date;

  @Column({ name: 'status_code', type: 'int', nullable: true })
  statusCode: number | null;

  @Column({ name: 'duration_ms', type: 'int' })
  durationMs: number;

  @Column({ type: 'text', nullable: true })
  error: string | null;
}
