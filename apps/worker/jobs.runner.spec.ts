import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { DiscoveryModule, NestFactory } from '@nestjs/core';
import { AppConfig, loadConfig } from '@ruche/config';
import { HandlesQueue, QueuesService, type JobResult } from '@ruche/queue';
import { JobsRunner } from './jobs.runner.js';

@Injectable()
@HandlesQueue('email')
class FirstEmailHandler {
  handle(): Promise<JobResult> {
    return Promise.resolve('done');
  }
}

@Injectable()
@HandlesQueue('email')
class SecondEmailHandler extends FirstEmailHandler {}

@Injectable()
@HandlesQueue('storage-cleanup')
class CleanupHandler extends FirstEmailHandler {}
@Injectable()
@HandlesQueue('notify')
class NotifyHandler extends FirstEmailHandler {}
@Injectable()
@HandlesQueue('deliver')
class DeliverHandler extends FirstEmailHandler {}
@Injectable()
@HandlesQueue('deliver-batch')
class BatchHandler extends FirstEmailHandler {}
@Injectable()
@HandlesQueue('fanout')
class FanoutHandler extends FirstEmailHandler {}
@Injectable()
@HandlesQueue('webhook-dispatch')
class WebhookDispatchHandler extends FirstEmailHandler {}
@Injectable()
@HandlesQueue('webhook-deliver')
class WebhookDeliverHandler extends FirstEmailHandler {}
@Injectable()
@HandlesQueue('erasure-cleanup')
class ErasureCleanupHandler extends FirstEmailHandler {}
const OTHERS = [
  NotifyHandler,
  DeliverHandler,
  BatchHandler,
  CleanupHandler,
  FanoutHandler,
  WebhookDispatchHandler,
  WebhookDeliverHandler,
  ErasureCleanupHandler,
];

const boot = async (handlers: (new () => unknown)[]) => {
  @Module({
    imports: [DiscoveryModule],
    providers: [
      JobsRunner,
      { provide: AppConfig, useValue: loadConfig({}) },
      { provide: QueuesService, useValue: { bullPrefix: 'x' } },
      ...handlers,
    ],
  })
  class TestModule {}
  const app = await NestFactory.createApplicationContext(TestModule, {
    logger: false,
    abortOnError: false,
  });
  try {
    return app.get(JobsRunner).handlers();
  } finally {
    await app.close();
  }
};

describe('JobsRunner', () => {
  it('refuses to start when a queue has no handler', async () => {
    await expect(boot(OTHERS)).rejects.toThrow('No handler for queue(s): email');
  });

  it('refuses to start when a queue has two handlers', async () => {
    await expect(boot([FirstEmailHandler, SecondEmailHandler, ...OTHERS])).rejects.toThrow(
      'Two handlers for queue "email"',
    );
  });

  it('finds the one handler of each queue', async () => {
    const found = await boot([FirstEmailHandler, ...OTHERS]);
    expect([...found.keys()].sort()).toEqual([
      'deliver',
      'deliver-batch',
      'email',
      'erasure-cleanup',
      'fanout',
      'notify',
      'storage-cleanup',
      'webhook-deliver',
      'webhook-dispatch',
    ]);
    expect(found.get('email')).toBeInstanceOf(FirstEmailHandler);
  });
});
