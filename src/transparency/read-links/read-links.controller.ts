import { Controller, Header, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../../auth/auth-user.js';
import { CurrentUser } from '../../auth/current-user.decorator.js';
import { MinRole } from '../../circles/min-role.decorator.js';
import { IdPipe } from '../../common/http/id.pipe.js';
import { ReadLinkResponse } from './dto/read-link.response.js';
import { ReadLinksService } from './read-links.service.js';

@ApiTags('transparency')
@Controller('v1/circles/:circleId/page-link')
export class ReadLinksController {
  constructor(private readonly links: ReadLinksService) {}

  @Post()
  @MinRole('member')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: "A short-lived link that opens the circle's page in a browser for you (any member)",
    description: "The page (docs/pages.md) shows the current cycle's figures, the receipts and a button that verifies them in the browser. The link works for 60 minutes and only while you are a member; it is signed, not stored, so issuing another does not end this one. Circles with public receipts have the page at /circle/{circleId} for anyone.",
  })
  @ApiResponse({ status: 201, type: ReadLinkResponse })
  createPageLink(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string): Promise<ReadLinkResponse> {
    return this.links.issue(user.id, circleId);
  }
}
