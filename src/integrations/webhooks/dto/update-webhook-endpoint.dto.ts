import { PartialType } from '@nestjs/swagger';
import { CreateWebhookEndpointDto } from './create-webhook-endpoint.dto.js';

/** Any of the endpoint's settings. Enabling a disabled endpoint resumes it where it stopped. */
export class UpdateWebhookEndpointDto extends PartialType(CreateWebhookEndpointDto) {}
