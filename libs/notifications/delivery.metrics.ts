import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Gauge } from 'prom-client';
import type { DataSource } from 'typeorm';
import { MetricsService } from '@ruche/observability';

/**
 * The PENDING and FAILED deliveries per channel, each status through its partial index: a scrape
 * reads the few waiting or failed rows, never every delivery ever sent (an announcement to 10,000
 * adds 20,000 SENT ones).
 */
export const DELIVERY_COUNTS = `
  SELECT channel, 'PENDING' AS status, count(*)::int AS n FROM notification_deliveries
   WHERE status = 'PENDING' GROUP BY channel
  UNION ALL
  SELECT channel, 'FAILED' AS status, count(*)::int AS n FROM notification_deliveries
   WHERE status = 'FAILED' GROUP BY channel`;

/**
 * Deliveries waiting and failed, per channel, read from PostgreSQL at scrape time: the API serves
 * /metrics and the workers send, so a counter in a worker's memory would not be seen (nor survive
 * it).
 */
@Injectable()
export class DeliveryMetrics {
  constructor(@InjectDataSource() db: DataSource, metrics: MetricsService) {
    new Gauge({
      name: 'ruche_notification_deliveries',
      help: 'Email and push deliveries waiting (PENDING, held ones included) and FAILED (kept for inspection), by channel',
      labelNames: ['channel', 'status'],
      registers: [metrics.registry],
      async collect() {
        try {
          const rows: { channel: string; status: string; n: number }[] =
            await db.query(DELIVERY_COUNTS);
          this.reset();
          // Zeros said, so a dashboard tells "none" from "not scraped".
          for (const channel of ['EMAIL', 'PUSH'])
            for (const status of ['PENDING', 'FAILED']) this.set({ channel, status }, 0);
          for (const r of rows) this.set({ channel: r.channel, status: r.status }, r.n);
        } catch {
          // PostgreSQL away: /health/ready says so.
        }
      },
    });
  }
}
