import {
  Controller,
  Get,
  Header,
  Headers,
  HttpCode,
  Res,
  UnauthorizedException,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { Public } from '@ruche/common';
import { AppConfig } from '@ruche/config';
import { MetricsService } from '@ruche/observability';
import { RedisService } from '@ruche/queue';

const within = <T>(ms: number, work: Promise<T>) =>
  Promise.race([
    work,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms)),
  ]);

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Probes for the load balancer and Prometheus: keep them on the internal network, or set
 * METRICS_TOKEN so /metrics asks for it.
 */
@Public()
@Controller()
export class HealthController {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly redis: RedisService,
    private readonly metrics: MetricsService,
    private readonly config: AppConfig,
  ) {}

  @Get('health/live')
  @HttpCode(200)
  live() {
    return { status: 'ok' };
  }

  /** Ready when PostgreSQL and Redis both answer within a second. */
  @Get('health/ready')
  async ready(@Res() res: Response) {
    const check = async (work: () => Promise<unknown>) => {
      try {
        await within(1000, work());
        return 'up';
      } catch {
        return 'down';
      }
    };
    const [postgres, redis] = await Promise.all([
      check(() => this.db.query('SELECT 1')),
      check(() => this.redis.client.ping()),
    ]);
    const ok = postgres === 'up' && redis === 'up';
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'unavailable', postgres, redis });
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4')
  metricsText(@Headers('authorization') authorization?: string): Promise<string> {
    const token = this.config.METRICS_TOKEN;
    // Compared as digests: equal lengths for timingSafeEqual, and no early exit on the first byte.
    if (token && !timingSafeEqual(digest(authorization ?? ''), digest(`Bearer ${token}`)))
      throw new UnauthorizedException('/metrics needs Authorization: Bearer <METRICS_TOKEN>');
    return this.metrics.registry.metrics();
  }
}
