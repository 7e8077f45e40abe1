import { Controller, Get, Header, HttpCode, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Public } from '@ruche/common';
import { PreferencesService } from '@ruche/notifications';

const PAGE = (title: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body style="font-family:sans-serif"><p>${title}</p></body></html>`;

/**
 * One-click unsubscribe (RFC 8058): the mail client POSTs `List-Unsubscribe=One-Click` to the
 * link; a person clicking it in the email GETs it. Either turns that email type off. The token is
 * the authorisation (HMAC-signed), so no sign-in.
 */
@Public()
@Controller('api/unsubscribe')
export class UnsubscribeController {
  constructor(private readonly prefs: PreferencesService) {}

  @Post()
  @HttpCode(200)
  async post(@Query('token') token: string | undefined, @Res() res: Response): Promise<void> {
    await this.answer(token, res);
  }

  @Get()
  @Header('Cache-Control', 'no-store')
  async get(@Query('token') token: string | undefined, @Res() res: Response): Promise<void> {
    await this.answer(token, res);
  }

  private async answer(token: string | undefined, res: Response): Promise<void> {
    const ok =
      typeof token === 'string' && token.length < 2000 && (await this.prefs.unsubscribe(token));
    res
      .status(ok ? 200 : 400)
      .type('html')
      .send(PAGE(ok ? 'Unsubscribed — désinscription faite.' : 'Invalid link — lien invalide.'));
  }
}
