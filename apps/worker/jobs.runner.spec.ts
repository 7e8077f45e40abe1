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

const boot = async (handlers: (new () => unknown)[]) => {
  @Module({
    imports: [DiscoveryModule],
    providers: [JobsRunner, { provide: AppConfig, useValue: loadConfig({}) }, { provide: QueuesService, useValue: { bullPrefix: 'x' } }, ...handlers],
  })
  class TestModule {}
  const app = await NestFactory.createApplicationContext(TestModule, { logger: false, abortOnError: false });
  try {
    return app.get(JobsRunner).handlers();
  } finally {
    await app.close();
  }
};

describe('JobsRunner', () => {
  it('refuses to start when a queue has no handler', async () => {
    await expect(boot([FirstEmailHandler])).rejects.toThrow('No handler for queue(s): storage-cleanup');
    await expect(boot([])).rejects.toThrow('No handler for queue(s): email, storage-cleanup');
  });

  it('refuses to start when a queue has two handlers', async () => {
    await expect(boot([FirstEmailHandler, SecondEmailHandler, CleanupHandler])).rejects.toThrow('Two handlers for queue "email"');
  });

  it('finds the one handler of each queue', async () => {
    const found = await boot([FirstEmailHandler, CleanupHandler]);
    expect([...found.keys()].sort()).toEqual(['email', 'storage-cleanup']);
    expect(found.get('email')).toBeInstanceOf(FirstEmailHandler);
  });
});
