import { Module } from '@nestjs/common';
import { NetworkModule } from '@ruche/network';
import { StorageModule } from '@ruche/storage';
import { DataRightsResolver } from './data-rights.resolver.js';
import { ErasureCleanupHandler } from './erasure-cleanup.handler.js';
import { ErasureService } from './erasure.service.js';

/** Erasure (and later export) of a person's data; the API's part. */
@Module({
  imports: [NetworkModule, StorageModule],
  providers: [ErasureService],
  exports: [ErasureService],
})
export class DataRightsCoreModule {}

@Module({ imports: [DataRightsCoreModule], providers: [DataRightsResolver] })
export class DataRightsModule {}

/** The worker's part: the retried cleanup of erasures. */
@Module({ imports: [DataRightsCoreModule], providers: [ErasureCleanupHandler] })
export class DataRightsWorkerModule {}
