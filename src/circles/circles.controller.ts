import { Body, Controller, Get, Headers, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthUser } from '../auth/auth-user.js';
import { CurrentUser } from '../auth/current-user.decorator.js';
import { IdPipe } from '../common/http/id.pipe.js';
import { DEFAULT_PAGE_LIMIT, PageQueryDto } from '../common/pagination.js';
import { CirclesService } from './circles.service.js';
import { CirclePageResponse, CircleResponse } from './dto/circle.response.js';
import { CreateCircleDto } from './dto/create-circle.dto.js';
import { UpdateCircleDto } from './dto/update-circle.dto.js';
import { etagOf } from './etag.js';
import { MinRole } from './min-role.decorator.js';

@ApiTags('circles')
@Controller('v1/circles')
export class CirclesController {
  constructor(private readonly circles: CirclesService) {}

  @Post()
  @ApiOperation({ summary: 'Create a circle; you become its organizer' })
  @ApiResponse({ status: 201, type: CircleResponse })
  async createCircle(@CurrentUser() user: AuthUser, @Body() dto: CreateCircleDto, @Res({ passthrough: true }) res: FastifyReply): Promise<CircleResponse> {
    const circle = await this.circles.create(user.id, dto);
    res.header('ETag', etagOf(circle.version));
    res.header('Location', `/v1/circles/${circle.id}`);
    return circle;
  }

  @Get()
  @ApiOperation({ summary: 'Circles you belong to' })
  @ApiResponse({ status: 200, type: CirclePageResponse })
  listCircles(@CurrentUser() user: AuthUser, @Query() page: PageQueryDto): Promise<CirclePageResponse> {
    return this.circles.listMine(user.id, page.limit ?? DEFAULT_PAGE_LIMIT, page.cursor);
  }

  @MinRole('member')
  @Get(':circleId')
  @ApiOperation({ summary: 'One circle, with an ETag for editing' })
  @ApiResponse({ status: 200, type: CircleResponse, headers: { ETag: { description: 'Send back as If-Match to edit', schema: { type: 'string' } } } })
  async getCircle(@CurrentUser() user: AuthUser, @Param('circleId', IdPipe) circleId: string, @Res({ passthrough: true }) res: FastifyReply): Promise<CircleResponse> {
    const circle = await this.circles.get(user.id, circleId);
    res.header('ETag', etagOf(circle.version));
    return circle;
  }

  @MinRole('organizer')
  @Patch(':circleId')
  @ApiOperation({ summary: 'Edit name, timezone or settings (organizer; If-Match required)' })
  @ApiHeader({ name: 'If-Match', required: true, description: 'The ETag from your last read of the circle' })
  @ApiResponse({ status: 200, type: CircleResponse })
  async updateCircle(
    @CurrentUser() user: AuthUser,
    @Param('circleId', IdPipe) circleId: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() dto: UpdateCircleDto,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<CircleResponse> {
    const circle = await this.circles.update(user.id, circleId, ifMatch, dto);
    res.header('ETag', etagOf(circle.version));
    return circle;
  }
}
