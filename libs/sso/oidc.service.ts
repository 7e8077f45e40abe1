import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import * as client from 'openid-client';
import { Strategy, type AuthenticateOptions } from 'openid-client/passport';
import passport from 'passport';
import { AppConfig } from '@ruche/config';
import type { ExternalProfile, OriginToCheck } from '@ruche/identity';
import { SecretsService } from '@ruche/identity';
import { RedisService } from '@ruche/queue';
import { Sealer } from './seal.js';

/** The cookie holding the sealed state, nonce and PKCE verifier between start and callback. */
export const OIDC_STATE_COOKIE = 'ruche_oidc';
const STATE_TTL_S = 600;
const SESSION_KEY = 'oidc';

interface SealedState {
  /** Its own id, used once (a replayed callback is refused). */
  id: string;
  exp: number;
  data: Record<string, unknown>;
}

/** What the callback gives: a person to sign in, or why not (a clear page, never a 500). */
export type OidcOutcome =
  | { ok: true; profile: ExternalProfile; groups: string[] }
  | { ok: false; reason: 'state' | 'denied' | 'provider' };

type Middleware = (req: Request, res: Response, next: (error?: unknown) => void) => void;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Strings from a claim that may be one string or a list of them. */
const strings = (v: unknown): string[] =>
  (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v])
    .filter((x): x is string | number => typeof x === 'string' || typeof x === 'number')
    .map(String);

/** A claim by name; dotted names reach into objects (`realm_access.roles`). */
const claim = (claims: Record<string, unknown>, name: string): unknown =>
  name in claims
    ? claims[name]
    : name
        .split('.')
        .reduce<unknown>(
          (o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined),
          claims,
        );

const text = (v: unknown): string | null | undefined =>
  v === undefined ? undefined : typeof v === 'string' ? v : null;

/**
 * OpenID Connect sign-in, authorization code + PKCE, through openid-client's passport strategy.
 * State, nonce and PKCE verifier live in a sealed (AES-GCM), 10-minute, httpOnly cookie: nothing
 * in a process's memory, so the callback may reach any API process.
 */
@Injectable()
export class OidcService {
  private configuration?: Promise<client.Configuration>;
  private sealer?: Promise<Sealer>;
  private readonly passport = new passport.Passport();

  constructor(
    private readonly config: AppConfig,
    private readonly secrets: SecretsService,
    private readonly redis: RedisService,
  ) {}

  get enabled(): boolean {
    return !!this.config.OIDC_ISSUER_URL && !!this.config.OIDC_CLIENT_ID;
  }

  get callbackUrl(): string {
    return new URL('/auth/oidc/callback', this.config.PUBLIC_URL).href;
  }

  /** Discovery on first use (the provider may be away at boot); retried after a failure. */
  private discover(): Promise<client.Configuration> {
    this.configuration ??= (async () => {
      const issuer = new URL(this.config.OIDC_ISSUER_URL!);
      const insecure = issuer.protocol === 'http:';
      if (insecure && !LOOPBACK.has(issuer.hostname))
        throw new Error('OIDC_ISSUER_URL must be https (http only on loopback)');
      const secret = this.config.OIDC_CLIENT_SECRET;
      const found = await client.discovery(
        issuer,
        this.config.OIDC_CLIENT_ID!,
        secret ? { client_secret: secret } : undefined,
        secret ? client.ClientSecretPost(secret) : client.None(),
        insecure ? { execute: [client.allowInsecureRequests] } : undefined,
      );
      this.strategy(found);
      return found;
    })().catch((error: unknown) => {
      this.configuration = undefined;
      throw error;
    });
    return this.configuration;
  }

  private strategy(configuration: client.Configuration): void {
    const strategy = new Strategy(
      {
        config: configuration,
        name: 'oidc',
        sessionKey: SESSION_KEY,
        scope: this.config.OIDC_SCOPES,
        callbackURL: this.callbackUrl,
      },
      (tokens, verified) => {
        this.profileOf(configuration, tokens).then(
          (result) => {
            verified(null, result);
          },
          (error: unknown) => {
            verified(error);
          },
        );
      },
    );
    // The strategy sends state only without PKCE; Ruche sends all three (state, nonce, PKCE).
    const base = strategy.authorizationRequestParams.bind(strategy);
    strategy.authorizationRequestParams = <T extends AuthenticateOptions>(req: Request, o: T) => {
      const params = new URLSearchParams(base(req, o));
      params.set('state', client.randomState());
      params.set('nonce', client.randomNonce());
      if (this.config.OIDC_PROMPT) params.set('prompt', this.config.OIDC_PROMPT);
      return params;
    };
    this.passport.use('oidc', strategy);
  }

  private seal(): Promise<Sealer> {
    this.sealer ??= this.secrets.get('oidc-state').then((s) => new Sealer(s, 'oidc-state'));
    return this.sealer;
  }

  /** Sealer for provider refresh tokens kept on sessions. */
  private tokenSealer?: Promise<Sealer>;
  private tokens(): Promise<Sealer> {
    this.tokenSealer ??= this.secrets.get('sso-tokens').then((s) => new Sealer(s, 'sso-tokens'));
    return this.tokenSealer;
  }

  private cookieOptions() {
    return {
      httpOnly: true,
      secure: true,
      // Lax: the provider sends the browser back with a top-level GET from its own site.
      sameSite: 'lax' as const,
      path: '/auth/oidc',
    };
  }

  /** GET /auth/oidc/start: the redirect to the provider, the sealed state in a cookie. */
  async start(req: Request, res: Response): Promise<void> {
    await this.discover();
    const sealer = await this.seal();
    const session: Record<string, unknown> = {};
    // The strategy stores its state in req.session right before it redirects: seal it then.
    (req as Request & { session: unknown }).session = new Proxy(session, {
      set: (target, key, value: Record<string, unknown>) => {
        target[key as string] = value;
        const sealed: SealedState = {
          id: randomBytes(16).toString('base64url'),
          exp: Date.now() + STATE_TTL_S * 1000,
          data: value,
        };
        res.cookie(OIDC_STATE_COOKIE, sealer.seal(sealed), {
          ...this.cookieOptions(),
          maxAge: STATE_TTL_S * 1000,
        });
        return true;
      },
    });
    await new Promise<void>((resolve, reject) => {
      res.once('finish', () => resolve());
      const run = this.passport.authenticate('oidc', { session: false }, (error: unknown) =>
        reject(error instanceof Error ? error : new Error('OIDC start failed')),
      ) as Middleware;
      run(req, res, (error: unknown) =>
        reject(error instanceof Error ? error : new Error(String(error))),
      );
    });
  }

  /** GET /auth/oidc/callback: checks state, nonce and PKCE with the provider, reads the claims. */
  async callback(req: Request, res: Response, cookie: string | undefined): Promise<OidcOutcome> {
    res.clearCookie(OIDC_STATE_COOKIE, this.cookieOptions());
    let configuration: client.Configuration;
    try {
      configuration = await this.discover();
    } catch {
      return { ok: false, reason: 'provider' };
    }
    void configuration;
    const state = (await this.seal()).open<SealedState>(cookie);
    if (!state || state.exp < Date.now()) return { ok: false, reason: 'state' };
    const fresh = await this.redis.client.set(
      this.redis.key('oidc-state', state.id),
      '1',
      'EX',
      STATE_TTL_S,
      'NX',
    );
    if (fresh !== 'OK') return { ok: false, reason: 'state' };
    (req as Request & { session: unknown }).session = { [SESSION_KEY]: state.data };
    if (typeof req.query.error === 'string') return { ok: false, reason: 'denied' };
    return new Promise<OidcOutcome>((resolve) => {
      const run = this.passport.authenticate(
        'oidc',
        { session: false },
        (error: unknown, user: OidcOutcome | false) => {
          if (error || !user) {
            const code = (error as { code?: string; error?: string } | undefined) ?? {};
            // A state or nonce mismatch, a replay, a missing verifier: the request is not ours.
            const ours =
              !error ||
              code.code === 'OAUTH_INVALID_RESPONSE' ||
              code.code === 'OAUTH_JWT_CLAIM_COMPARISON_FAILED' ||
              code.error === 'invalid_grant';
            resolve({ ok: false, reason: ours ? 'state' : 'provider' });
          } else resolve(user);
        },
      ) as Middleware;
      run(req, res, () => resolve({ ok: false, reason: 'provider' }));
    });
  }

  private async profileOf(
    configuration: client.Configuration,
    tokens: client.TokenEndpointResponse & client.TokenEndpointResponseHelpers,
  ): Promise<OidcOutcome> {
    const idClaims = tokens.claims();
    if (!idClaims) throw new Error('The provider sent no ID token');
    let claims: Record<string, unknown> = { ...idClaims };
    if (configuration.serverMetadata().userinfo_endpoint) {
      const info = await client.fetchUserInfo(configuration, tokens.access_token, idClaims.sub);
      claims = { ...claims, ...info };
    }
    const c = this.config;
    const email = text(claim(claims, c.OIDC_CLAIM_EMAIL)) ?? '';
    const verified = claim(claims, 'email_verified');
    const groupValues = c.OIDC_CLAIM_GROUPS ? strings(claim(claims, c.OIDC_CLAIM_GROUPS)) : [];
    const refresh = tokens.refresh_token;
    return {
      ok: true,
      profile: {
        provider: 'oidc',
        subject: idClaims.sub,
        email,
        emailVerified: verified === true || verified === 'true',
        displayName: text(claim(claims, c.OIDC_CLAIM_NAME)) ?? null,
        department: text(claim(claims, c.OIDC_CLAIM_DEPARTMENT)),
        jobTitle: text(claim(claims, c.OIDC_CLAIM_TITLE)),
        token: refresh ? (await this.tokens()).seal(refresh) : null,
      },
      groups: this.groupSlugs(groupValues),
    };
  }

  /** Claim values to group slugs: through OIDC_GROUP_MAP, else the value itself as a slug. */
  groupSlugs(values: string[]): string[] {
    const map = this.config.OIDC_GROUP_MAP;
    if (!map) return values.map((v) => v.trim().toLowerCase()).filter(Boolean);
    const pairs = new Map<string, string>();
    for (const pair of map.split(',')) {
      const eq = pair.lastIndexOf('=');
      pairs.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    return values.flatMap((v) => {
      const slug = pairs.get(v.trim());
      return slug ? [slug] : [];
    });
  }

  /**
   * Is the person still there? With the provider's refresh token: a refresh grant (refused =
   * gone). Without one, the provider gives Ruche no way to ask: unknown.
   */
  async check(
    origin: OriginToCheck,
  ): Promise<{ status: 'present'; token?: string | null } | { status: 'gone' | 'unknown' }> {
    const sealer = await this.tokens();
    const refresh = sealer.open<string>(origin.token);
    if (!refresh) return { status: 'unknown' };
    let configuration: client.Configuration;
    try {
      configuration = await this.discover();
    } catch {
      return { status: 'unknown' };
    }
    try {
      const tokens = await client.refreshTokenGrant(configuration, refresh);
      const sub = tokens.claims()?.sub;
      if (sub && sub !== origin.subject) return { status: 'gone' };
      return {
        status: 'present',
        token: tokens.refresh_token ? sealer.seal(tokens.refresh_token) : null,
      };
    } catch (error) {
      const e = error as { error?: string };
      return e.error === 'invalid_grant' ? { status: 'gone' } : { status: 'unknown' };
    }
  }
}
