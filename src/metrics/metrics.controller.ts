import { Controller, Get, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/public.decorator.js';
import { MetricsTokenGuard } from './metrics-token.guard.js';
import { Metrics } from './metrics.js';

/** Prometheus scrapes here with METRICS_TOKEN; no user token is involved (hence @Public). */
@Public()
@UseGuards(MetricsTokenGuard)
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get()
  async scrape(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const { contentType, text } = await this.metrics.exposition();
    void reply.header('content-type', contentType);
    return text;
  }
}
