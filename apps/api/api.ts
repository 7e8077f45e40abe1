import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import type { AppConfig } from '@ruche/config';
import { MetricsService, RucheLogger } from '@ruche/observability';
import { ApiModule } from './app.module.js';
import { readHookBody } from './hooks.controller.js';
import { serveWebApp } from './web-app.js';

/** Builds the API application (not yet listening): used by main.ts and by the tests. */
export async function createApi(config: AppConfig): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(config), {
    bufferLogs: true,
  });
  const logger = app.get(RucheLogger);
  app.useLogger(logger);
  app.use(logger.http);
  app.set('trust proxy', 'loopback, linklocal, uniquelocal');
  app.disable('x-powered-by');
  app.use(
    helmet({
      // The web app runs no inline script; its images may be data: or blob: (avatars, previews).
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          connectSrc: ["'self'"],
          workerSrc: ["'self'"],
          manifestSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
    }),
  );
  // Integration URLs read their own body (a size cap, their own errors): before the JSON parser.
  app.use('/hooks', readHookBody);
  app.useBodyParser('json', { limit: '1mb' });
  const metrics = app.get(MetricsService);
  const routes = new Set(['/graphql', '/api/uploads', '/health/live', '/health/ready', '/metrics']);
  app.use(
    (
      req: { method: string; path: string },
      res: { statusCode: number; on: (e: string, f: () => void) => void },
      next: () => void,
    ) => {
      const end = metrics.http.startTimer();
      const route = routes.has(req.path)
        ? req.path
        : req.path.startsWith('/api/files/')
          ? '/api/files/:id'
          : 'other';
      res.on('finish', () => end({ method: req.method, route, status: String(res.statusCode) }));
      next();
    },
  );
  serveWebApp(app, config.WEB_DIR);
  app.enableShutdownHooks();
  return app;
}
