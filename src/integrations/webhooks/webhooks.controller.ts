import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../../auth/auth-user.js';
import { CurrentUser } from '../../auth/current-user.decorator.js';
import { IdPipe } from '../../common/http/id.pipe.js';
import { DEFAULT_PAGE_LIMIT, PageQueryDto } from '../../common/pagination.js';
import { CreateWebhookEndpointDto } from './dto/create-webhook-endpoint.dto.js';
import { RedeliverDto } from './dto/redeliver.dto.js';
import { UpdateWebhookEndpointDto } from './dto/update-webhook-endpoint.dto.js';
import { WebhookDeliveryPageResponse, WebhookDeliveryResponse } from './dto/webhook-delivery.response.js';
import { CreatedWebhookEndpointResponse, RotatedSecretResponse, WebhookEndpointPageResponse, WebhookEndpointResponse } from './dto/webhook-endpoint.response.js';
import { WebhooksService } from './webhooks.service.js';
import { MinRole } from '../../circles/min-role.decorator.js';

@ApiTags('webhooks')
@Controller('v1/circles/:circleId/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @MinRole('organizer')
  @Post()
  @ApiOperation({ summary: 'Add a webhook endpoint; the response shows its signing secret, once (organizer)' })
  @ApiResponse({ status: 201, type: CreatedWebhookEndpointResponse })
  createWebhookEndpoint(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Body() dto: CreateWebhookEndpointDto): Promise<CreatedWebhookEndpointResponse> {
    return this.webhooks.create(user.id, circleId, dto);
  }

  @MinRole('organizer')
  @Get()
  @ApiOperation({ summary: "The circle's webhook endpoints, oldest first (organizer)" })
  @ApiResponse({ status: 200, type: WebhookEndpointPageResponse })
  listWebhookEndpoints(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Query() query: PageQueryDto): Promise<WebhookEndpointPageResponse> {
    return this.webhooks.list(user.id, circleId, query.limit ?? DEFAULT_PAGE_LIMIT, query.cursor);
  }

  @MinRole('organizer')
  @Get(':endpointId')
  @ApiOperation({ summary: 'One webhook endpoint and where its deliveries stand (organizer)' })
  @ApiResponse({ status: 200, type: WebhookEndpointResponse })
  getWebhookEndpoint(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Param('endpointId', IdPipe) endpointId: string): Promise<WebhookEndpointResponse> {
    return this.webhooks.get(user.id, circleId, endpointId);
  }

  @MinRole('organizer')
  @Patch(':endpointId')
  @ApiOperation({ summary: 'Change an endpoint: URL, event types, description, enabled; enabling resumes where it stopped (organizer)' })
  @ApiResponse({ status: 200, type: WebhookEndpointResponse })
  updateWebhookEndpoint(
    @CurrentUser() user: AuthUser,
    @Param('circleId', IdPipe) circleId: string,
    @Param('endpointId', IdPipe) endpointId: string,
    @Body() dto: UpdateWebhookEndpointDto,
  ): Promise<WebhookEndpointResponse> {
    return this.webhooks.update(user.id, circleId, endpointId, dto);
  }

  @MinRole('organizer')
  @Delete(':endpointId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove an endpoint and its delivery log (organizer)' })
  @ApiResponse({ status: 204, description: 'Removed' })
  deleteWebhookEndpoint(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Param('endpointId', IdPipe) endpointId: string): Promise<void> {
    return this.webhooks.remove(user.id, circleId, endpointId);
  }

  @MinRole('organizer')
  @Post(':endpointId/rotate-secret')
  @HttpCode(200)
  @ApiOperation({ summary: 'Replace the signing secret; the old one keeps signing beside it for 24 hours (organizer)' })
  @ApiResponse({ status: 200, type: RotatedSecretResponse })
  rotateWebhookSecret(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Param('endpointId', IdPipe) endpointId: string): Promise<RotatedSecretResponse> {
    return this.webhooks.rotateSecret(user.id, circleId, endpointId);
  }

  @MinRole('organizer')
  @Get(':endpointId/deliveries')
  @ApiOperation({ summary: "The endpoint's delivery log, newest first: status, time, duration, attempt, the start of the response (organizer)" })
  @ApiResponse({ status: 200, type: WebhookDeliveryPageResponse })
  listWebhookDeliveries(
    @CurrentUser() user: AuthUser,
    @Param('circleId', IdPipe) circleId: string,
    @Param('endpointId', IdPipe) endpointId: string,
    @Query() query: PageQueryDto,
  ): Promise<WebhookDeliveryPageResponse> {
    return this.webhooks.deliveries(user.id, circleId, endpointId, query.limit ?? DEFAULT_PAGE_LIMIT, query.cursor);
  }

  @MinRole('organizer')
  @Post(':endpointId/redeliver')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send one event to the endpoint again, now; its place in the event order does not change (organizer)' })
  @ApiResponse({ status: 200, type: WebhookDeliveryResponse })
  redeliverWebhookEvent(
    @CurrentUser() user: AuthUser,
    @Param('circleId', IdPipe) circleId: string,
    @Param('endpointId', IdPipe) endpointId: string,
    @Body() dto: RedeliverDto,
  ): Promise<WebhookDeliveryResponse> {
    return this.webhooks.redeliver(user.id, circleId, endpointId, dto.eventId);
  }

  @MinRole('organizer')
  @Post(':endpointId/ping')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send a test event (webhook.ping) to the endpoint now (organizer)' })
  @ApiResponse({ status: 200, type: WebhookDeliveryResponse })
  pingWebhookEndpoint(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Param('endpointId', IdPipe) endpointId: string): Promise<WebhookDeliveryResponse> {
    return this.webhooks.ping(user.id, circleId, endpointId);
  }
}
