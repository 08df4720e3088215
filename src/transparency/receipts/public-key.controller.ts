import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../../auth/public.decorator.js';
import { PublicKeyResponse, toPublicKeyResponse } from './dto/public-key.response.js';
import { SigningKeyService } from './signing-key.service.js';

@ApiTags('transparency')
@Controller('v1/transparency')
export class PublicKeyController {
  constructor(private readonly key: SigningKeyService) {}

  @Get('public-key')
  @Public()
  @ApiOperation({ summary: 'The Ed25519 public key that signs receipt checkpoints (no login)' })
  @ApiResponse({ status: 200, type: PublicKeyResponse })
  getPublicKey(): PublicKeyResponse {
    return toPublicKeyResponse(this.key);
  }
}
