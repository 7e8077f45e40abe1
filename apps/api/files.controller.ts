import { pipeline } from 'node:stream/promises';
import {
  Controller,
  Get,
  HttpCode,
  Injectable,
  Param,
  Post,
  Res,
  UploadedFile,
  UseInterceptors,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import type { Request, Response } from 'express';
import type { Observable } from 'rxjs';
import type { Viewer } from '@ruche/common';
import { AttachmentReadPolicy, AttachmentsService, contentDisposition } from '@ruche/storage';
import { HttpViewer } from './auth.guard.js';

/** What multer's disk storage gives of the file it wrote. */
interface ReceivedPart {
  path: string;
  originalname: string;
  mimetype: string;
}

/** Counts the upload before its body is read, so a client over the limit sends nothing to disk. */
@Injectable()
class CountUpload implements NestInterceptor {
  constructor(private readonly attachments: AttachmentsService) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const viewer = context.switchToHttp().getRequest<Request & { viewer: Viewer }>().viewer;
    await this.attachments.countUpload(viewer);
    return next.handle();
  }
}

/**
 * Uploads and downloads, with the GraphQL Bearer token. The multipart body streams to a file on
 * disk (multer, limits from the configuration in ApiModule); AttachmentsService decides the rest.
 */
@Controller('api')
export class FilesController {
  constructor(
    private readonly attachments: AttachmentsService,
    private readonly policy: AttachmentReadPolicy,
  ) {}

  /** One file in the multipart field `file` → 201 with the attachment id createPost takes. */
  @Post('uploads')
  @HttpCode(201)
  @UseInterceptors(CountUpload, FileInterceptor('file'))
  async upload(@HttpViewer() viewer: Viewer, @UploadedFile() file: ReceivedPart | undefined) {
    const kept = await this.attachments.store(
      viewer,
      file && { path: file.path, originalName: file.originalname, declaredType: file.mimetype },
    );
    const { id, fileName, contentType, byteSize, url, version } = kept;
    return { id, fileName, contentType, byteSize, url, version };
  }

  /** The bytes, to whoever may read the file; 404 alike for unknown, malformed and unreadable ids. */
  @Get('files/:id')
  async download(
    @HttpViewer() viewer: Viewer,
    @Param('id') id: string,
    @Res() res: Response,
  ): Promise<void> {
    const { file, stream } = await this.attachments.openForViewer(viewer, id, this.policy);
    res.status(200).set({
      'Content-Type': file.contentType,
      'Content-Length': String(file.byteSize),
      'Content-Disposition': contentDisposition(file.contentType, file.fileName),
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, no-cache',
    });
    await pipeline(stream, res).catch(() => res.destroy());
  }
}
