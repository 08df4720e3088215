import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/public.decorator.js';
import { PageRenderer } from './page-renderer.js';

/** `/`: what this server is, where the API's documentation is, and who runs it (OPERATOR_NAME). */
@ApiExcludeController()
@Public()
@Controller()
export class HomePageController {
  constructor(private readonly pages: PageRenderer) {}

  @Get()
  home(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<FastifyReply> {
    return this.pages.send(req, reply, { view: 'home', title: 'home.title' });
  }
}
