import { AppError, badInput, notFound } from '@ruche/common';

/** A refused upload, with the HTTP status the upload route answers with. */
export class UploadRefused extends AppError {
  constructor(
    readonly status: 400 | 413 | 415,
    message: string,
  ) {
    super('BAD_USER_INPUT', message, { field: 'file' });
  }
}

/**
 * The storage domain's refusals. A file the viewer may not read is NOT_FOUND, exactly as a missing
 * or malformed id: the same body for all three.
 */
export const StorageErrors = {
  notFound: (): AppError => notFound('No such file'),
  noFile: (): UploadRefused =>
    new UploadRefused(400, 'Send one file in the multipart field "file"'),
  tooLarge: (max: number): UploadRefused =>
    new UploadRefused(413, `Files are limited to ${max} bytes`),
  refusedType: (why: string): UploadRefused => new UploadRefused(415, why),
  notAttachable: (): AppError =>
    badInput('attachmentIds', 'Attach only files you uploaded and have not attached yet'),
  tooMany: (max: number): AppError =>
    badInput('attachmentIds', `At most ${max} attachments per post`),
};
