import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Gauge } from 'prom-client';
import type { DataSource } from 'typeorm';
import { MetricsService } from '@ruche/observability';

/**
 * Deliveries per channel and status, read from PostgreSQL at scrape time: the API serves /metrics
 * and the workers send, so a counter in a worker's memory would not be seen (nor survive it).
 */
@Injectable()
export class DeliveryMetrics {
  constructor(@InjectDataSource() db: DataSource, metrics: MetricsService) {
    new Gauge({
      name: 'ruche_notification_deliveries',
      help: 'Email and push deliveries by channel and status (FAILED ones are kept for inspection)',
      labelNames: ['channel', 'status'],
      registers: [metrics.registry],
      async collect() {
        try {
          const rows: { channel: string; status: string; n: number }[] = await db.query(
            `SELECT channel, status, count(*)::int AS n FROM notification_deliveries GROUP BY channel, status`,
          );
          this.reset();
          for (const r of rows) this.set({ channel: r.channel, status: r.status }, r.n);
        } catch {
          // PostgreSQL away: /health/ready says so.
        }
      },
    });
  }
}
