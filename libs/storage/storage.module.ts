import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '@ruche/config';
import { AttachmentsService } from './attachments.service.js';
import { AttachmentEntity } from './entities/attachment.entity.js';
import { StorageCleanupHandler } from './storage-cleanup.handler.js';
import { createStorageDriver, StorageDriver } from './storage.driver.js';

/** Uploads and their bytes; the API's file routes and the content module use AttachmentsService. */
@Module({
  imports: [TypeOrmModule.forFeature([AttachmentEntity])],
  providers: [
    AttachmentsService,
    { provide: StorageDriver, inject: [AppConfig], useFactory: createStorageDriver },
  ],
  exports: [AttachmentsService, StorageDriver],
})
export class StorageModule {}

/** The worker's part: the hourly removal of unattached uploads. */
@Module({ imports: [StorageModule], providers: [StorageCleanupHandler] })
export class StorageWorkerModule {}
