import { Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Public } from '@ruche/common';
import { IntegrationsService, MAX_HOOK_BYTES } from '@ruche/integrations';

type HookRequest = Request & { hookBody?: Buffer | null; hookSize?: number };

/**
 * Reads an integration call's body itself, up to MAX_HOOK_BYTES (beyond: `hookBody` null, the
 * rest drained), so the JSON parser after it finds the request finished and leaves it alone, and
 * bad JSON or a huge body get the integration's own JSON answers, recorded like any call.
 */
export function readHookBody(req: Request, _res: Response, next: NextFunction): void {
  const r = req as HookRequest;
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_HOOK_BYTES) chunks.push(chunk);
  });
  req.on('end', () => {
    r.hookSize = size;
    r.hookBody = size <= MAX_HOOK_BYTES ? Buffer.concat(chunks) : null;
    next();
  });
  req.on('error', () => {
    r.hookSize = size;
    r.hookBody = null;
    next();
  });
}

/** An integration's URL: POST /hooks/:id/:secret, the secret being the authorisation. */
@Public()
@Controller('hooks')
export class HooksController {
  constructor(private readonly integrations: IntegrationsService) {}

  @Post(':id/:secret')
  @HttpCode(200)
  async receive(
    @Param('id') id: string,
    @Param('secret') secret: string,
    @Req() req: HookRequest,
    @Res() res: Response,
  ): Promise<void> {
    const answer = await this.integrations.receive({
      id,
      secret,
      ip: req.ip ?? req.socket.remoteAddress ?? 'unknown',
      contentType: req.headers['content-type'],
      raw: req.hookBody ?? null,
      size: req.hookSize ?? 0,
    });
    if (answer.retryAfter) res.setHeader('Retry-After', String(answer.retryAfter));
    res.status(answer.status).setHeader('Cache-Control', 'no-store').json(answer.body);
  }
}
