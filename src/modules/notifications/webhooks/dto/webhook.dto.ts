import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsIn, IsUrl, MaxLength } from 'class-validator';
import { NOTIFICATION_TYPES } from '../../../../shared/outbox/events';

export class CreateWebhookDto {
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  @MaxLength(2000)
  url: string;

  /** Notification types to deliver; '*' for all. */
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsIn(['*', ...NOTIFICATION_TYPES], { each: true })
  events: string[];
}

export class WebhookDto {
  id: string;
  url: string;
  events: string[];
  createdAt: string;
}

export class WebhookCreatedDto extends WebhookDto {
  /** Shown once: keep it to verify Efir-Signature (HMAC-SHA256 of "<timestamp>.<body>"). */
  secret: string;
}

export class DeliveryAttemptDto {
  at: string;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
}

export class DeliveryDto {
  id: string;
  eventType: string;
  status: string;
  attempts: DeliveryAttemptDto[];
  createdAt: string;
  deliveredAt: string | null;
}

export class WebhookPageDto {
  items: WebhookDto[];
  nextCursor: string | null;
}

export class DeliveryPageDto {
  items: DeliveryDto[];
  nextCursor: string | null;
}

export class RedeliveryDto {
  id: string;
  status: string;
}
