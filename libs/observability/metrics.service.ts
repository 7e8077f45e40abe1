import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { QueuesService } from '@ruche/queue';

const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** Prometheus metrics of this process: HTTP and GraphQL latency, queue depths, Node's own. */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly http = new Histogram({
    name: 'ruche_http_request_duration_seconds',
    help: 'HTTP request latency',
    labelNames: ['method', 'route', 'status'],
    buckets: BUCKETS,
    registers: [this.registry],
  });

  readonly graphql = new Histogram({
    name: 'ruche_graphql_operation_duration_seconds',
    help: 'GraphQL operation latency, by operation type and root field',
    labelNames: ['type', 'field', 'outcome'],
    buckets: BUCKETS,
    registers: [this.registry],
  });

  constructor(queues: QueuesService) {
    collectDefaultMetrics({ register: this.registry, prefix: 'ruche_' });
    new Gauge({
      name: 'ruche_queue_jobs',
      help: 'Jobs per queue and state',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        try {
          const depths = await queues.depths();
          for (const [queue, counts] of Object.entries(depths)) {
            for (const [state, n] of Object.entries(counts)) this.set({ queue, state }, n);
          }
        } catch {
          // Redis away: /health/ready says so; metrics still answer.
        }
      },
    });
  }
}
