/** Data rights (GDPR): erasure of an account; its cleanup job. */
export {
  DataRightsCoreModule,
  DataRightsModule,
  DataRightsWorkerModule,
} from './data-rights.module.js';
export {
  ErasureService,
  FORMER_MEMBER,
  type ErasedPosts,
  type ErasureResult,
} from './erasure.service.js';
