export { StorageModule, StorageWorkerModule } from './storage.module.js';
export {
  AttachmentsService,
  MAX_ATTACHMENTS,
  STALE_AFTER_MS,
  type ReceivedFile,
} from './attachments.service.js';
export { StorageDriver } from './storage.driver.js';
export { AttachmentReadPolicy, UploaderOnlyReadPolicy } from './attachment-read.policy.js';
export { AttachmentObject } from './graphql/attachment.object.js';
export { StorageErrors, UploadRefused } from './storage.errors.js';
export { contentDisposition, sanitizeFileName, sniff, typeProblem } from './upload.rules.js';
