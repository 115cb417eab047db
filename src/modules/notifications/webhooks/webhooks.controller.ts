import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../../../shared/auth/auth-user';
import { CurrentUser, Allow } from '../../../shared/auth/decorators';
import { Policy } from '../../../shared/auth/policies';
import { PageQuery } from '../../../shared/http/pagination';
import {
  CreateWebhookDto,
  DeliveryPageDto,
  RedeliveryDto,
  WebhookCreatedDto,
  WebhookPageDto,
} from './dto/webhook.dto';
import { WebhooksService } from './webhooks.service';
import { ApiErrors } from '../../../shared/openapi/api-errors';
import { WebhookErrors } from './webhooks.errors';

@ApiTags('webhooks')
@ApiBearerAuth()
@Allow(Policy.OrgAdmin)
@Controller()
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post('webhooks')
  @ApiErrors(WebhookErrors.WEBHOOK_URL_INVALID, WebhookErrors.WEBHOOK_TARGET_REFUSED)
  create(@CurrentUser() user: AuthUser, @Body() body: CreateWebhookDto): Promise<WebhookCreatedDto> {
    return this.webhooks.create(user, body.url, body.events);
  }

  @Get('webhooks')
  list(@CurrentUser() user: AuthUser, @Query() q: PageQuery): Promise<WebhookPageDto> {
    return this.webhooks.list(user, q);
  }

  @Delete('webhooks/:id')
  @HttpCode(204)
  remove(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.webhooks.remove(user, id);
  }

  /** Every delivery with its attempts: time, status code, duration, error. */
  @Get('webhooks/:id/deliveries')
  deliveries(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: PageQuery,
  ): Promise<DeliveryPageDto> {
    return this.webhooks.deliveries(user, id, q);
  }

  @Post('webhook-deliveries/:id/redeliver')
  @HttpCode(202)
  redeliver(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<RedeliveryDto> {
    return this.webhooks.redeliver(user, id);
  }
}
