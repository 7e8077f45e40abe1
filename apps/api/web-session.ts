import type { Request, Response } from 'express';
import { forbidden, type WebSession } from '@ruche/common';

/** The header the web app sends: a browser cannot add it to a cross-site request without CORS. */
export const WEB_SESSION_HEADER = 'x-ruche-session';
export const REFRESH_COOKIE = 'ruche_refresh';

function cookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/**
 * The cookie session of a request that asks for it (`X-Ruche-Session: cookie`), or nothing. Its
 * Origin, when the browser sends one, must be this server's own or PUBLIC_URL's: a page elsewhere
 * gets FORBIDDEN. The cookie is httpOnly, Secure, SameSite=Strict and scoped to /graphql.
 */
export function webSession(
  req: Request,
  res: Response,
  publicUrl: string,
  maxAgeSeconds: number,
): WebSession | undefined {
  if (req.headers[WEB_SESSION_HEADER] !== 'cookie') return undefined;
  const origin = req.headers.origin;
  if (origin !== undefined) {
    const own = `${req.protocol}://${req.headers.host ?? ''}`;
    if (origin !== own && origin !== new URL(publicUrl).origin)
      throw forbidden('This request comes from another site: refused');
  }
  return {
    refreshToken: cookie(req, REFRESH_COOKIE),
    keep: (token) => keepRefreshCookie(res, token, maxAgeSeconds),
    clear: () => res.clearCookie(REFRESH_COOKIE, REFRESH_COOKIE_OPTIONS),
  };
}

const REFRESH_COOKIE_OPTIONS = {
  httpOnly: true,
  secure: true,
  sameSite: 'strict' as const,
  path: '/graphql',
};

/** Puts a refresh token in the web app's cookie (sign-in, refresh, and single sign-on's callback). */
export function keepRefreshCookie(res: Response, token: string, maxAgeSeconds: number): void {
  res.cookie(REFRESH_COOKIE, token, { ...REFRESH_COOKIE_OPTIONS, maxAge: maxAgeSeconds * 1000 });
}

/** A named cookie of the request. */
export const cookieOf = cookie;
