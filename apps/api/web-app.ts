import { existsSync, readdirSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';

/** Paths the API answers itself; everything else that asks for HTML is the web app's. */
const API_PATHS = /^\/(graphql|api|auth|health|metrics)(\/|$)/;
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * Serves the built web app: hashed assets cached for a year (their Brotli or gzip copy when the
 * browser takes it: apps/web/compress.mjs writes them at build), index.html and the service
 * worker never cached, and deep links (`/groups/finance`) answered with index.html.
 */
export function serveWebApp(app: NestExpressApplication, dir: string): void {
  const root = resolve(dir);
  const index = join(root, 'index.html');
  if (!existsSync(index)) return;
  const assets = join(root, 'assets');
  const compressed = new Set(existsSync(assets) ? readdirSync(assets) : []);
  app.use('/assets', (req: Request, res: Response, next: NextFunction) => {
    const name = req.path.slice(1);
    if ((req.method !== 'GET' && req.method !== 'HEAD') || name.includes('/')) return next();
    const accepts = req.headers['accept-encoding'] ?? '';
    const encoding = ['br', 'gzip'].find(
      (e) => accepts.includes(e) && compressed.has(`${name}.${e === 'br' ? 'br' : 'gz'}`),
    );
    if (!encoding) return next();
    res.setHeader('Content-Encoding', encoding);
    res.setHeader('Vary', 'Accept-Encoding');
    res.setHeader('Cache-Control', IMMUTABLE);
    res.type(extname(name));
    res.sendFile(join(assets, `${name}.${encoding === 'br' ? 'br' : 'gz'}`));
  });
  app.useStaticAssets(root, {
    index: false,
    setHeaders: (res: Response, path: string) => {
      res.setHeader('Cache-Control', path.startsWith(assets) ? IMMUTABLE : 'no-cache');
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
