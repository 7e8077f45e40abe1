import { createSecretKey, type KeyObject } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '@ruche/config';
import { HotReads } from '@ruche/database';
import { unauthenticated, type Viewer } from '@ruche/common';
import { randomToken, sha256 } from './crypto.js';
import { RefreshTokenEntity } from './entities/refresh-token.entity.js';
import { SessionEntity } from './entities/session.entity.js';
import type { UserEntity } from './entities/user.entity.js';
import { SecretsService } from './secrets.service.js';

export interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

interface AccessClaims {
  sub: string;
  sid: string;
}

const SIGNABLE = new Set(['ACTIVE', 'PENDING']);

/** Where a single sign-on session came from. */
export interface SessionOrigin {
  provider: 'oidc' | 'ldap';
  subject: string;
  /** The provider's refresh token, already sealed by its owner. */
  token?: string | null;
}

/** A session to recheck at its provider. */
export interface OriginToCheck extends SessionOrigin {
  sessionId: string;
  userId: string;
}

/**
 * Asks the provider whether the person is still there: `gone` ends the session; `unknown` (the
 * provider cannot be reached, or gives no way to ask) keeps it and asks again at the next refresh.
 * A new sealed token replaces the stored one (rotating refresh tokens).
 */
export type OriginCheck = (
  origin: OriginToCheck,
) => Promise<{ status: 'present'; token?: string | null } | { status: 'gone' | 'unknown' }>;

/** Access tokens (short JWTs naming a session) and rotating refresh tokens with reuse detection. */
@Injectable()
export class SessionsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly jwt: JwtService,
    private readonly secrets: SecretsService,
    private readonly config: AppConfig,
    private readonly hot: HotReads,
  ) {}

  private originCheck?: OriginCheck;

  /** Rechecks single sign-on sessions at their provider on refresh (set by @ruche/sso at boot). */
  useOriginCheck(check: OriginCheck): void {
    this.originCheck = check;
  }

  /** The verification key, made once (jsonwebtoken would otherwise parse the string per request). */
  private verificationKey?: Promise<KeyObject>;

  private secret(): Promise<string> {
    return this.config.JWT_SECRET
      ? Promise.resolve(this.config.JWT_SECRET)
      : this.secrets.get('jwt');
  }

  /** Opens a session for `user` inside the caller's transaction. */
  async open(
    manager: EntityManager,
    user: UserEntity,
    client: { ip: string; userAgent?: string },
    origin?: SessionOrigin,
  ): Promise<IssuedTokens> {
    const session = await manager.save(
      manager.create(SessionEntity, {
        userId: user.id,
        ip: client.ip,
        userAgent: client.userAgent?.slice(0, 300) ?? null,
        provider: origin?.provider ?? null,
        providerSubject: origin?.subject ?? null,
        providerCheckedAt: origin ? new Date() : null,
        providerToken: origin?.token ?? null,
      }),
    );
    return this.issue(manager, session);
  }

  private async issue(manager: EntityManager, session: SessionEntity): Promise<IssuedTokens> {
    const refreshToken = randomToken();
    await manager.insert(RefreshTokenEntity, {
      sessionId: session.id,
      tokenHash: sha256(refreshToken),
      expiresAt: new Date(Date.now() + this.config.REFRESH_TOKEN_TTL * 1000),
    });
    const claims: AccessClaims = { sub: session.userId, sid: session.id };
    const accessToken = await this.jwt.signAsync(claims, {
      secret: await this.secret(),
      expiresIn: this.config.ACCESS_TOKEN_TTL,
      algorithm: 'HS256',
    });
    return { accessToken, refreshToken, expiresIn: this.config.ACCESS_TOKEN_TTL };
  }

  /**
   * Trades a refresh token for a new pair. A token used twice means it leaked: the whole session
   * is revoked, so the thief's copy and the owner's both stop working.
   */
  async refresh(refreshToken: string): Promise<{ tokens: IssuedTokens; userId: string }> {
    await this.recheckOrigin(refreshToken);
    const outcome = await this.db.transaction(async (manager) => {
      const rows: {
        id: string;
        session_id: string;
        expires_at: Date;
        used_at: Date | null;
        revoked_at: Date | null;
        user_id: string;
        status: string;
      }[] = await manager.query(
        `SELECT t.id, t.session_id, t.expires_at, t.used_at, s.revoked_at, s.user_id, u.status
             FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id JOIN users u ON u.id = s.user_id
            WHERE t.token_hash = $1
            FOR UPDATE OF t, s`,
        [sha256(refreshToken)],
      );
      const row = rows[0];
      if (!row || row.revoked_at) return 'invalid' as const;
      if (row.used_at) {
        await manager.update(
          SessionEntity,
          { id: row.session_id },
          { revokedAt: new Date(), revokedReason: 'refresh-token-reuse' },
        );
        return 'reused' as const;
      }
      if (row.expires_at.getTime() <= Date.now() || !SIGNABLE.has(row.status))
        return 'invalid' as const;
      await manager.update(RefreshTokenEntity, { id: row.id }, { usedAt: new Date() });
      const tokens = await this.issue(manager, {
        id: row.session_id,
        userId: row.user_id,
      } as SessionEntity);
      return { tokens, userId: row.user_id };
    });
    if (outcome === 'invalid') throw unauthenticated('This session has ended; sign in again');
    if (outcome === 'reused')
      throw unauthenticated(
        'This refresh token was already used; the session is closed for safety',
      );
    return outcome;
  }

  /**
   * A session from single sign-on is rechecked at its provider at most every
   * SSO_RECHECK_MINUTES, outside the refresh's transaction (the provider may be slow): when the
   * person is gone there, every session they hold from that provider ends.
   */
  private async recheckOrigin(refreshToken: string): Promise<void> {
    if (!this.originCheck) return;
    const rows: {
      session_id: string;
      user_id: string;
      provider: 'oidc' | 'ldap';
      provider_subject: string;
      provider_token: string | null;
    }[] = await this.db.query(
      `SELECT s.id AS session_id, s.user_id, s.provider, s.provider_subject, s.provider_token
         FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id
        WHERE t.token_hash = $1 AND t.used_at IS NULL AND s.revoked_at IS NULL
          AND s.provider IS NOT NULL AND s.provider_subject IS NOT NULL
          AND (s.provider_checked_at IS NULL
               OR s.provider_checked_at <= now() - make_interval(mins => $2))`,
      [sha256(refreshToken), this.config.SSO_RECHECK_MINUTES],
    );
    const row = rows[0];
    if (!row) return;
    const verdict = await this.originCheck({
      sessionId: row.session_id,
      userId: row.user_id,
      provider: row.provider,
      subject: row.provider_subject,
      token: row.provider_token,
    }).catch(() => ({ status: 'unknown' as const }));
    if (verdict.status === 'gone') {
      await this.db.query(
        `UPDATE sessions SET revoked_at = now(), revoked_reason = 'provider-removed'
          WHERE user_id = $1 AND provider = $2 AND provider_subject = $3 AND revoked_at IS NULL`,
        [row.user_id, row.provider, row.provider_subject],
      );
      throw unauthenticated('Your account is no longer known to your sign-in provider');
    }
    if (verdict.status === 'present')
      await this.db.query(
        `UPDATE sessions SET provider_checked_at = now(), provider_token = COALESCE($2, provider_token)
          WHERE id = $1`,
        [row.session_id, verdict.token ?? null],
      );
  }

  async revoke(sessionId: string, reason: string, manager?: EntityManager): Promise<void> {
    await (manager ?? this.db).query(
      'UPDATE sessions SET revoked_at = now(), revoked_reason = $2 WHERE id = $1 AND revoked_at IS NULL',
      [sessionId, reason],
    );
  }

  /** Ends every session of a user at once (suspension, password reset). */
  async revokeAll(manager: EntityManager, userId: string, reason: string): Promise<void> {
    await manager.query(
      'UPDATE sessions SET revoked_at = now(), revoked_reason = $2 WHERE user_id = $1 AND revoked_at IS NULL',
      [userId, reason],
    );
  }

  /**
   * Checks an access token on every request against the database: a suspended user or a revoked
   * session stops working at the next request, not when the token expires.
   */
  async authenticate(accessToken: string): Promise<Viewer> {
    let claims: AccessClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessClaims>(accessToken, {
        secret: (await (this.verificationKey ??= this.secret().then((s) =>
          createSecretKey(Buffer.from(s)),
        ))) as unknown as string,
        algorithms: ['HS256'],
      });
    } catch {
      throw unauthenticated('Your access token is invalid or has expired');
    }
    // The charter check rides on this query (two primary-key probes of libs/governance's tables,
    // read-only), so it costs no round trip of its own: a new version applies at the next request.
    const rows: { role: Viewer['role']; status: Viewer['status']; charter_pending: boolean }[] =
      await this.hot.query(
        `SELECT u.role, u.status,
                (u.status = 'ACTIVE' AND EXISTS (
                  SELECT 1 FROM (SELECT version FROM charters ORDER BY version DESC LIMIT 1) cv
                   WHERE NOT EXISTS (SELECT 1 FROM charter_acceptances ca WHERE ca.user_id = u.id AND ca.version = cv.version)
                )) AS charter_pending
           FROM sessions s JOIN users u ON u.id = s.user_id
          WHERE s.id = $1 AND s.user_id = $2 AND s.revoked_at IS NULL`,
        [claims.sid, claims.sub],
      );
    const row = rows[0];
    if (!row || !SIGNABLE.has(row.status))
      throw unauthenticated('This session has ended; sign in again');
    return {
      id: claims.sub,
      sessionId: claims.sid,
      role: row.role,
      status: row.status,
      charterPending: row.charter_pending,
    };
  }
}
