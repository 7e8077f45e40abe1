import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import type { AppConfig } from '@ruche/config';
import { RucheLogger } from '@ruche/observability';
import { WorkerModule } from './worker.module.js';

/** Starts the worker (used by main.ts and by the tests). */
export async function createWorker(config: AppConfig): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
    bufferLogs: true,
  });
  app.useLogger(app.get(RucheLogger));
  app.enableShutdownHooks();
  await app.init();
  return app;
}
