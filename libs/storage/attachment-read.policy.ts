import type { Viewer } from '@ruche/common';

/**
 * Which posts a viewer may read, for attachments: a file attached to a post is readable exactly
 * when its post is. The content library binds its access predicate here; the default below
 * (no post readable) leaves files to their uploaders.
 */
export abstract class AttachmentReadPolicy {
  /** The subset of `postIds` the viewer may read; denies by default. */
  abstract readablePostIds(viewer: Viewer, postIds: string[]): Promise<Set<string>>;
}

/** Until posts exist: only the uploader reads a file. */
export class UploaderOnlyReadPolicy extends AttachmentReadPolicy {
  readablePostIds(): Promise<Set<string>> {
    return Promise.resolve(new Set());
  }
}
