import { Controller, Get, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppConfig } from '@ruche/config';
import { pickLocale, Public, type LocaleName } from '@ruche/common';
import { NetworkService } from '@ruche/network';
import { RucheLogger } from '@ruche/observability';
import { OIDC_STATE_COOKIE, OidcService, SsoService } from '@ruche/sso';
import { cookieOf, keepRefreshCookie } from './web-session.js';

type Failure = 'off' | 'state' | 'denied' | 'provider' | 'refused';

const PAGES: Record<Failure, { status: number; en: string; fr: string }> = {
  off: {
    status: 404,
    en: 'Single sign-on is not set up on this network.',
    fr: 'L’authentification unique n’est pas configurée sur ce réseau.',
  },
  state: {
    status: 400,
    en: 'This sign-in link has expired or was already used. Start again from the sign-in page.',
    fr: 'Ce lien de connexion a expiré ou a déjà servi. Recommencez depuis la page de connexion.',
  },
  denied: {
    status: 403,
    en: 'Your sign-in provider did not let you in.',
    fr: 'Votre fournisseur d’identité a refusé la connexion.',
  },
  provider: {
    status: 502,
    en: 'Your sign-in provider cannot be reached right now. Try again in a moment.',
    fr: 'Votre fournisseur d’identité est injoignable pour le moment. Réessayez dans un instant.',
  },
  refused: {
    status: 403,
    en: 'This account cannot sign in: it may be suspended, or its address is not verified by your provider.',
    fr: 'Ce compte ne peut pas se connecter : il est peut-être suspendu, ou son adresse n’est pas vérifiée par votre fournisseur.',
  },
};

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * OpenID Connect in the browser: /auth/oidc/start redirects to the provider; /auth/oidc/callback
 * ends with the web app's cookie session (the same as a password sign-in) and a redirect to the
 * app, or a plain page saying what went wrong (never a 500).
 */
@Controller('auth/oidc')
export class SsoController {
  constructor(
    private readonly config: AppConfig,
    private readonly oidc: OidcService,
    private readonly sso: SsoService,
    private readonly network: NetworkService,
    private readonly logger: RucheLogger,
  ) {}

  private async locale(req: Request): Promise<LocaleName> {
    return pickLocale(req.headers['accept-language'], (await this.network.get()).defaultLocale);
  }

  private async fail(req: Request, res: Response, why: Failure): Promise<void> {
    const page = PAGES[why];
    const locale = await this.locale(req);
    const message = page[locale];
    const back = locale === 'fr' ? 'Retour à la connexion' : 'Back to sign-in';
    res
      .status(page.status)
      .type('html')
      .setHeader('Cache-Control', 'no-store')
      .send(
        `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>Ruche</title></head>` +
          `<body><main><h1>${escape(message)}</h1><p><a href="/sign-in">${back}</a></p></main></body></html>`,
      );
  }

  @Public()
  @Get('start')
  async start(@Req() req: Request, @Res() res: Response): Promise<void> {
    if (!this.oidc.enabled) return this.fail(req, res, 'off');
    try {
      await this.oidc.start(req, res);
    } catch (error) {
      this.logger.pino.warn({ err: (error as Error).message }, 'OIDC start failed');
      if (!res.headersSent) await this.fail(req, res, 'provider');
    }
  }

  @Public()
  @Get('callback')
  async callback(@Req() req: Request, @Res() res: Response): Promise<void> {
    if (!this.oidc.enabled) return this.fail(req, res, 'off');
    try {
      const outcome = await this.oidc.callback(req, res, cookieOf(req, OIDC_STATE_COOKIE));
      const done = await this.sso.completeOidc(outcome, {
        ip: req.ip ?? req.socket.remoteAddress ?? 'unknown',
        userAgent: req.headers['user-agent'],
        locale: await this.locale(req),
      });
      if (!done.ok) return this.fail(req, res, done.reason);
      keepRefreshCookie(res, done.refreshToken, this.config.REFRESH_TOKEN_TTL);
      res.setHeader('Cache-Control', 'no-store');
      res.redirect(303, new URL('/', this.config.PUBLIC_URL).href);
    } catch (error) {
      this.logger.pino.warn({ err: (error as Error).message }, 'OIDC callback failed');
      if (!res.headersSent) await this.fail(req, res, 'provider');
    }
  }
}
