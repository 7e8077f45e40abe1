export { ObservabilityModule } from './observability.module.js';
export { MetricsService } from './metrics.service.js';
export { RucheLoggerModule } from './logger.js';
