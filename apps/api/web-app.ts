import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';

/** Paths the API answers itself; everything else that asks for HTML is the web app's. */
const API_PATHS = /^\/(graphql|api|health|metrics)(\/|$)/;

/**
 * Serves the built web app: hashed assets cached for a year, index.html and the service worker
 * never cached, and deep links (`/groups/finance`) answered with index.html.
 */
export function serveWebApp(app: NestExpressApplication, dir: string): void {
  const root = resolve(dir);
  const index = join(root, 'index.html');
  if (!existsSync(index)) return;
  app.useStaticAssets(root, {
    index: false,
    setHeaders: (res: Response, path: string) => {
      res.setHeader(
        'Cache-Control',
        path.startsWith(join(root, 'assets')) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || API_PATHS.test(req.path)) return next();
    // A page is asked for as text/html (a dot is no sign of a file: handles hold dots); a missing
    // script, picture or asset (Accept without text/html) stays a 404.
    const page = req.headers.accept?.includes('text/html') && !req.path.startsWith('/assets/');
    if (!page) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
}
