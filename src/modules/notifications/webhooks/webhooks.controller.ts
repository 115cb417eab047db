import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsIn, IsUrl, MaxLength } from 'class-validator';
import type { AuthUser } from '../../../shared/auth/auth-user';
import { CurrentUser, Allow } from '../../../shared/auth/decorators';
import { Policy } from '../../../shared/auth/policies';
import { PageQuery } from '../../../shared/http/pagination';
import { NOTIFICATION_TYPES } from '../../../shared/outbox/events';
import { WebhooksService, type DeliveryDto, type WebhookDto } from './webhooks.service';

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

export class WebhookCreatedDto {
  id: string;
  url: string;
  events: string[];
  createdAt: string;
  /** Shown once: keep it to verify Efir-Signature (HMAC-SHA256 of "<timestamp>.<body>"). */
  secret: string;
}

@ApiTags('webhooks')
@ApiBearerAuth()
@Allow(Policy.OrgAdmin)
@Controller()
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post('webhooks')
  create(@CurrentUser() user: AuthUser, @Body() body: CreateWebhookDto): Promise<WebhookCreatedDto> {
    return this.webhooks.create(user, body.url, body.events);
  }

  @Get('webhooks')
  list(@CurrentUser() user: AuthUser): Promise<WebhookDto[]> {
    return this.webhooks.list(user);
  }

  @Delete('webhooks/:id')
  @HttpCode(204)
  async remove(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.webhooks.remove(user, id);
  }

  /** Every delivery with its attempts: time, status code, duration, error. */
  @Get('webhooks/:id/deliveries')
  deliveries(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: PageQuery,
  ): Promise<{ items: DeliveryDto[]; nextCursor: string | null }> {
    return this.webhooks.deliveries(user, id, q);
  }

  @Post('webhook-deliveries/:id/redeliver')
  @HttpCode(202)
  redeliver(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<{ id: string; status: string }> {
    return this.webhooks.redeliver(user, id);
  }
}
