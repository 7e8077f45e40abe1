import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import {
  badInput,
  conflict,
  EMAIL_PATTERN,
  emailDomain,
  forbidden,
  normalizeEmail,
  unauthenticated,
  type LocaleName,
  type NetworkRoleName,
  type Viewer,
} from '@ruche/common';
import { AuditService } from '@ruche/audit';
import { NetworkService } from '@ruche/network';
import { OutboxService } from '@ruche/queue';
import { hashPassword, passwordWeakness, randomToken, sha256, verifyPassword } from './crypto.js';
import { AccountTokenEntity, type AccountTokenPurpose } from './entities/account-token.entity.js';
import { InvitationEntity } from './entities/invitation.entity.js';
import { UserEntity } from './entities/user.entity.js';
import type { SignUpInput } from './graphql/user.inputs.js';
import { HANDLE_PATTERN } from './graphql/user.inputs.js';
import { RateLimitService } from './rate-limit.service.js';
import { UserIdentityEntity } from './entities/user-identity.entity.js';
import { SessionsService, type IssuedTokens, type SessionOrigin } from './sessions.service.js';
import { deriveSearchColumns } from './users.mapper.js';
import { UsersService } from './users.service.js';

export interface ClientInfo {
  ip: string;
  userAgent?: string;
  locale: LocaleName;
}

/** Who acts: an admin (their id) or the `ruche` operator (null, with the command in details). */
interface OperatorOrAdmin {
  actorId: string | null;
  details?: Record<string, unknown>;
}

export interface SignedIn extends IssuedTokens {
  user: UserEntity;
}

/** What a single sign-on provider says about the person signing in. */
export interface ExternalProfile {
  provider: 'oidc' | 'ldap';
  /** The person's stable id at the provider. */
  subject: string;
  email: string;
  /** Only the provider's word (OIDC `email_verified`; the company directory is trusted). */
  emailVerified: boolean;
  displayName?: string | null;
  department?: string | null;
  jobTitle?: string | null;
  /** The provider's refresh token, sealed, kept on the session for the recheck. */
  token?: string | null;
}

/**
 * Checks an email and password against a directory (LDAP): `unknown` when the directory has no such
 * person (the local password is then tried), `refused` for a wrong password.
 */
export type PasswordDirectory = (
  email: string,
  password: string,
) => Promise<ExternalProfile | 'unknown' | 'refused'>;

export interface SignedInExternally extends SignedIn {
  created: boolean;
}

const HOUR = 3600_000;
const clip = (v: string | null | undefined, max: number): string | null => {
  const t = v?.replace(/\s+/g, ' ').trim().slice(0, max);
  return t ? t : null;
};
const TTL: Record<AccountTokenPurpose | 'INVITATION', number> = {
  VERIFY_EMAIL: 48 * HOUR,
  PASSWORD_RESET: 1 * HOUR,
  INVITATION: 14 * 24 * HOUR,
};

/** Accounts: sign-up, sign-in, email proofs, passwords, invitations and their administration. */
@Injectable()
export class AccountsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly network: NetworkService,
    private readonly outbox: OutboxService,
    private readonly sessions: SessionsService,
    private readonly limits: RateLimitService,
    private readonly users: UsersService,
    private readonly audit: AuditService,
  ) {}

  private directory?: PasswordDirectory;

  /** Password sign-in asks this directory first (set by @ruche/sso when LDAP is configured). */
  usePasswordDirectory(directory: PasswordDirectory): void {
    this.directory = directory;
  }

  async signUp(input: SignUpInput, client: ClientInfo): Promise<SignedIn> {
    await this.limits.consume('signUpIp', client.ip);
    const email = normalizeEmail(input.email);
    const displayName = input.displayName.replace(/\s+/g, ' ').trim();
    if (!displayName) throw badInput('displayName', 'displayName must not be blank');
    const settings = await this.network.get();
    const weakness = passwordWeakness(input.password, [email, displayName, settings.name]);
    if (weakness) throw badInput('password', weakness);

    let invitation: InvitationEntity | null = null;
    if (settings.registrationMode === 'SSO_ONLY') {
      // Invitations too: the invited person signs in through single sign-on.
      throw forbidden('Accounts on this network come from single sign-on: sign in with it');
    } else if (input.invitationToken) {
      invitation = await this.db
        .getRepository(InvitationEntity)
        .findOneBy({ tokenHash: sha256(input.invitationToken) });
      if (!invitation || invitation.acceptedAt || invitation.expiresAt.getTime() < Date.now()) {
        throw badInput('invitationToken', 'This invitation is invalid or has expired');
      }
      if (invitation.email !== email)
        throw badInput('email', 'This invitation was sent to another address');
    } else if (settings.registrationMode === 'INVITE_ONLY') {
      throw badInput('invitationToken', 'This network is open by invitation only');
    } else if (!settings.allowedEmailDomains.includes(emailDomain(email))) {
      throw badInput('email', 'Sign-up is open to company addresses only');
    }

    const passwordHash = await hashPassword(input.password);
    return this.db.transaction(async (manager) => {
      if (await manager.existsBy(UserEntity, { email }))
        throw conflict(
          'email',
          'An account already uses this address; sign in or reset your password',
        );
      const handle = input.handle ?? (await this.freeHandle(manager, email, displayName));
      if (input.handle && (await manager.existsBy(UserEntity, { handle })))
        throw conflict('handle', 'This handle is taken');
      const user = manager.create(UserEntity, {
        email,
        handle,
        displayName,
        passwordHash,
        role: invitation?.role ?? 'MEMBER',
        status: invitation ? 'ACTIVE' : 'PENDING',
        emailVerifiedAt: invitation ? new Date() : null,
        locale: client.locale,
        skills: [],
      });
      deriveSearchColumns(user);
      await manager.save(user);
      if (invitation) {
        // Accepting an invitation proves the address: the account is ACTIVE at once.
        await manager.query(
          'UPDATE invitations SET accepted_at = now() WHERE email = $1 AND accepted_at IS NULL',
          [email],
        );
      } else {
        await this.sendAccountToken(manager, user, 'VERIFY_EMAIL', settings.name);
      }
      const tokens = await this.sessions.open(manager, user, client);
      return { ...tokens, user };
    });
  }

  /** A handle from the address or the name, made unique with a number when needed. */
  private async freeHandle(
    manager: EntityManager,
    email: string,
    displayName: string,
  ): Promise<string> {
    const base = (email.split('@')[0] || displayName)
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '')
      .replace(/^[._-]+|[._-]+$/g, '')
      .slice(0, 24)
      .padEnd(3, '0');
    const taken: { handle: string }[] = await manager.query(
      `SELECT handle FROM users WHERE handle = $1 OR handle LIKE $2`,
      [base, `${base.replace(/[\\%_]/g, '\\$&')}%`],
    );
    const used = new Set(taken.map((t) => t.handle));
    if (!used.has(base) && HANDLE_PATTERN.test(base)) return base;
    for (let n = 2; ; n++) {
      const candidate = `${base}${n}`;
      if (!used.has(candidate)) return candidate;
    }
  }

  private async sendAccountToken(
    manager: EntityManager,
    user: UserEntity,
    purpose: AccountTokenPurpose,
    networkName: string,
  ): Promise<void> {
    const token = randomToken();
    await manager.insert(AccountTokenEntity, {
      userId: user.id,
      purpose,
      tokenHash: sha256(token),
      expiresAt: new Date(Date.now() + TTL[purpose]),
    });
    await this.outbox.enqueue(manager, 'email', {
      template: purpose === 'VERIFY_EMAIL' ? 'verify-email' : 'password-reset',
      to: user.email,
      locale: user.locale,
      vars: { name: user.displayName, token, network: networkName },
    });
  }

  async signIn(emailGiven: string, password: string, client: ClientInfo): Promise<SignedIn> {
    const email = normalizeEmail(emailGiven);
    if (!EMAIL_PATTERN.test(email)) throw badInput('email', 'email must be an email address');
    // Count first, check after: parallel attempts in one request cannot all pass.
    await this.limits.consume('signInIp', client.ip);
    await this.limits.consume('signInAccount', email);
    if (this.directory) {
      const found = await this.directory(email, password.slice(0, 256));
      if (found === 'refused') throw unauthenticated('Wrong email or password');
      if (found !== 'unknown') {
        const signed = await this.signInExternal(found, client);
        await this.limits.reset('signInAccount', email);
        return signed;
      }
    }
    const user = await this.db.getRepository(UserEntity).findOneBy({ email });
    const ok = await verifyPassword(user?.passwordHash ?? null, password.slice(0, 256));
    const refusal = !user || !ok ? 'wrong-credentials' : this.unsignable(user);
    if (refusal) {
      // The address attempted, never the password.
      await this.audit.record({
        action: 'auth.sign-in-failed',
        actorId: null,
        targetType: 'user',
        targetId: user?.id ?? null,
        details: { email, reason: refusal },
        ip: client.ip,
      });
      throw unauthenticated(
        refusal === 'suspended'
          ? 'This account is suspended; ask your administrator'
          : 'Wrong email or password',
      );
    }
    // Break-glass: network admins (as `ruche create-admin` makes them) keep their password.
    if (user!.role !== 'ADMIN' && (await this.network.get()).registrationMode === 'SSO_ONLY') {
      await this.audit.record({
        action: 'auth.sign-in-failed',
        actorId: null,
        targetType: 'user',
        targetId: user!.id,
        details: { email, reason: 'sso-only' },
        ip: client.ip,
      });
      throw forbidden('This network signs in through single sign-on: use it');
    }
    await this.limits.reset('signInAccount', email);
    const tokens = await this.db.transaction(async (manager) => {
      const issued = await this.sessions.open(manager, user!, client);
      await this.audit.record(
        {
          action: 'auth.sign-in',
          actorId: user!.id,
          targetType: 'user',
          targetId: user!.id,
          details: { method: 'password' },
          ip: client.ip,
        },
        manager,
      );
      return issued;
    });
    return { ...tokens, user: user! };
  }

  private unsignable(user: UserEntity): 'suspended' | null {
    return user.status === 'SUSPENDED' || user.status === 'DEACTIVATED' ? 'suspended' : null;
  }

  /**
   * Single sign-on: the account holding this provider identity, else the one of a verified address
   * (linked), else a new ACTIVE account (just in time, with a pending invitation's role). Name,
   * department and title follow the provider on every sign-in. Opens a session marked with its
   * origin, so refreshes recheck the person at the provider.
   */
  async signInExternal(profile: ExternalProfile, client: ClientInfo): Promise<SignedInExternally> {
    const email = normalizeEmail(profile.email);
    if (!EMAIL_PATTERN.test(email))
      throw unauthenticated('Your sign-in provider gave no usable email address');
    const displayName = clip(profile.displayName, 80) ?? email.split('@')[0];
    const settings = await this.network.get();
    return this.db.transaction(async (manager) => {
      const link = await manager.findOneBy(UserIdentityEntity, {
        provider: profile.provider,
        subject: profile.subject,
      });
      let user = link
        ? await manager.findOne(UserEntity, {
            where: { id: link.userId },
            lock: { mode: 'pessimistic_write' },
          })
        : null;
      let created = false;
      if (!user) {
        const same = await manager.findOne(UserEntity, {
          where: { email },
          lock: { mode: 'pessimistic_write' },
        });
        if (same && !profile.emailVerified)
          throw unauthenticated(
            'An account already uses this address and your provider has not verified it',
          );
        user = same;
      }
      if (!user) {
        const invitation: { role: NetworkRoleName }[] = await manager.query(
          `SELECT role FROM invitations WHERE email = $1 AND accepted_at IS NULL AND expires_at > now()
            ORDER BY created_at DESC LIMIT 1`,
          [email],
        );
        user = manager.create(UserEntity, {
          email,
          handle: await this.freeHandle(manager, email, displayName),
          displayName,
          passwordHash: null,
          role: invitation[0]?.role ?? 'MEMBER',
          status: 'ACTIVE',
          emailVerifiedAt: profile.emailVerified ? new Date() : null,
          locale: client.locale ?? settings.defaultLocale,
          skills: [],
        });
        if (invitation[0])
          await manager.query(
            'UPDATE invitations SET accepted_at = now() WHERE email = $1 AND accepted_at IS NULL',
            [email],
          );
        created = true;
      }
      if (user.status === 'SUSPENDED' || user.status === 'DEACTIVATED')
        throw unauthenticated('This account is suspended; ask your administrator');
      user.displayName = displayName;
      if (profile.department !== undefined) user.department = clip(profile.department, 120);
      if (profile.jobTitle !== undefined) user.jobTitle = clip(profile.jobTitle, 120);
      if (profile.emailVerified) {
        user.emailVerifiedAt ??= new Date();
        // The provider proved the address: a PENDING sign-up is confirmed.
        if (user.status === 'PENDING') user.status = 'ACTIVE';
      }
      if (!created && user.email !== email && profile.emailVerified) {
        if (!(await manager.existsBy(UserEntity, { email }))) user.email = email;
      }
      deriveSearchColumns(user);
      user = await manager.save(user);
      await manager.query(
        `INSERT INTO user_identities (provider, subject, user_id) VALUES ($1, $2, $3)
         ON CONFLICT (provider, subject) DO UPDATE SET last_sign_in_at = now()`,
        [profile.provider, profile.subject, user.id],
      );
      const origin: SessionOrigin = {
        provider: profile.provider,
        subject: profile.subject,
        token: profile.token ?? null,
      };
      const tokens = await this.sessions.open(manager, user, client, origin);
      return { ...tokens, user, created };
    });
  }

  async refresh(refreshToken: string): Promise<SignedIn> {
    const { tokens, userId } = await this.sessions.refresh(refreshToken);
    const user = await this.db.getRepository(UserEntity).findOneByOrFail({ id: userId });
    return { ...tokens, user };
  }

  async signOut(viewer: Viewer, ip?: string): Promise<boolean> {
    await this.db.transaction(async (manager) => {
      await this.sessions.revoke(viewer.sessionId, 'sign-out', manager);
      await this.audit.record(
        {
          action: 'auth.sign-out',
          actorId: viewer.id,
          targetType: 'session',
          targetId: viewer.sessionId,
          ip: ip ?? null,
        },
        manager,
      );
    });
    return true;
  }

  /** Uses a single-use token; returns the account it belonged to. */
  private async useToken(
    manager: EntityManager,
    token: string,
    purpose: AccountTokenPurpose,
  ): Promise<UserEntity> {
    const result = await manager
      .createQueryBuilder()
      .update(AccountTokenEntity)
      .set({ usedAt: () => 'now()' })
      .where(
        'token_hash = :hash AND purpose = :purpose AND used_at IS NULL AND expires_at > now()',
        { hash: sha256(token), purpose },
      )
      .returning('user_id')
      .execute();
    const rows = result.raw as { user_id: string }[];
    if (!rows[0]) throw badInput('token', 'This link is invalid or has expired');
    return manager.findOneOrFail(UserEntity, {
      where: { id: rows[0].user_id },
      lock: { mode: 'pessimistic_write' },
    });
  }

  async verifyEmail(token: string): Promise<boolean> {
    return this.db.transaction(async (manager) => {
      const user = await this.useToken(manager, token, 'VERIFY_EMAIL');
      if (user.status === 'PENDING') user.status = 'ACTIVE';
      user.emailVerifiedAt ??= new Date();
      await manager.save(user);
      return true;
    });
  }

  async resendVerification(viewer: Viewer): Promise<boolean> {
    if (viewer.status !== 'PENDING') return false;
    await this.limits.consume('emailAccount', viewer.id);
    const settings = await this.network.get();
    await this.db.transaction(async (manager) => {
      const user = await manager.findOneByOrFail(UserEntity, { id: viewer.id });
      await this.sendAccountToken(manager, user, 'VERIFY_EMAIL', settings.name);
    });
    return true;
  }

  /** Always true, so the answer does not tell which addresses have an account. */
  async requestPasswordReset(emailGiven: string, client: ClientInfo): Promise<boolean> {
    const email = normalizeEmail(emailGiven);
    if (!EMAIL_PATTERN.test(email)) throw badInput('email', 'email must be an email address');
    await this.limits.consume('emailIp', client.ip);
    await this.limits.consume('emailAccount', email);
    const settings = await this.network.get();
    await this.db.transaction(async (manager) => {
      const user = await manager.findOneBy(UserEntity, { email });
      if (
        !user ||
        user.status === 'SUSPENDED' ||
        user.status === 'DEACTIVATED' ||
        !user.passwordHash
      )
        return;
      await this.sendAccountToken(manager, user, 'PASSWORD_RESET', settings.name);
      await this.audit.record(
        {
          action: 'auth.password-reset-requested',
          actorId: null,
          targetType: 'user',
          targetId: user.id,
          ip: client.ip,
        },
        manager,
      );
    });
    return true;
  }

  /** Sets a new password and ends every session: whoever knew the old one is signed out. */
  async resetPassword(token: string, password: string): Promise<boolean> {
    const hash = await hashPassword(password);
    return this.db.transaction(async (manager) => {
      const user = await this.useToken(manager, token, 'PASSWORD_RESET');
      const weakness = passwordWeakness(password, [user.email, user.displayName]);
      if (weakness) throw badInput('password', weakness);
      user.passwordHash = hash;
      // The reset link reached the address: that proves it.
      if (user.status === 'PENDING') user.status = 'ACTIVE';
      user.emailVerifiedAt ??= new Date();
      await manager.save(user);
      await this.sessions.revokeAll(manager, user.id, 'password-reset');
      await this.audit.record(
        {
          action: 'auth.password-reset',
          actorId: user.id,
          targetType: 'user',
          targetId: user.id,
          details: { by: 'emailed-link' },
        },
        manager,
      );
      return true;
    });
  }

  /** Network admins invite addresses (any domain); returns how many invitations left. */
  async invite(viewer: Viewer, emails: string[], role: NetworkRoleName): Promise<number> {
    const wanted = [...new Set(emails.map(normalizeEmail))];
    const bad = wanted.find((e) => !EMAIL_PATTERN.test(e));
    if (bad !== undefined) throw badInput('emails', `Not an email address: ${bad.slice(0, 100)}`);
    const settings = await this.network.get();
    return this.db.transaction(async (manager) => {
      const existing: { email: string }[] = await manager.query(
        'SELECT email FROM users WHERE email = ANY($1)',
        [wanted],
      );
      const skip = new Set(existing.map((e) => e.email));
      const inviter = await manager.findOneByOrFail(UserEntity, { id: viewer.id });
      let sent = 0;
      for (const email of wanted.filter((e) => !skip.has(e))) {
        const token = randomToken();
        await manager.insert(InvitationEntity, {
          email,
          role,
          tokenHash: sha256(token),
          invitedById: viewer.id,
          expiresAt: new Date(Date.now() + TTL.INVITATION),
        });
        await this.outbox.enqueue(manager, 'email', {
          template: 'invitation',
          to: email,
          locale: settings.defaultLocale,
          vars: {
            name: '',
            inviter: inviter.displayName,
            token,
            network: settings.name,
            // SSO_ONLY: the invitation leads to single sign-on, where the account is made.
            sso: settings.registrationMode === 'SSO_ONLY' ? '1' : '0',
          },
        });
        await this.audit.record(
          {
            action: 'user.invited',
            actorId: viewer.id,
            targetType: 'invitation',
            targetId: email,
            details: { email, role },
          },
          manager,
        );
        sent++;
      }
      return sent;
    });
  }

  /** The first administrator, made by IT on the server (`ruche create-admin`). */
  async createAdmin(
    emailGiven: string,
    password: string,
    displayName: string,
  ): Promise<UserEntity> {
    const email = normalizeEmail(emailGiven);
    if (!EMAIL_PATTERN.test(email)) throw badInput('email', 'email must be an email address');
    const name = displayName.replace(/\s+/g, ' ').trim();
    if (!name || name.length > 80) throw badInput('name', 'name must be 1 to 80 characters');
    const weakness = passwordWeakness(password, [email, name]);
    if (weakness) throw badInput('password', weakness);
    const passwordHash = await hashPassword(password);
    return this.db.transaction(async (manager) => {
      if (await manager.existsBy(UserEntity, { email }))
        throw conflict('email', 'An account already uses this address');
      const settings = await this.network.get();
      const user = manager.create(UserEntity, {
        email,
        handle: await this.freeHandle(manager, email, name),
        displayName: name,
        passwordHash,
        role: 'ADMIN',
        status: 'ACTIVE',
        emailVerifiedAt: new Date(),
        locale: settings.defaultLocale,
        skills: [],
      });
      deriveSearchColumns(user);
      const saved = await manager.save(user);
      await this.audit.record(
        {
          action: 'user.admin-created',
          actorId: null,
          targetType: 'user',
          targetId: saved.id,
          details: { command: 'create-admin' },
        },
        manager,
      );
      return saved;
    });
  }

  /**
   * An integration's bot: a DEACTIVATED account with no password and an address that cannot
   * exist (RFC 2606 `.invalid`), so it never signs in, reads nothing and is listed nowhere.
   */
  async createBot(manager: EntityManager, name: string): Promise<{ id: string; handle: string }> {
    const id = randomUUID();
    const bot = manager.create(UserEntity, {
      id,
      email: `bot-${id}@bots.invalid`,
      handle: await this.freeHandle(manager, `bot-${name.replace(/\s+/g, '-')}@bots.invalid`, name),
      displayName: name,
      passwordHash: null,
      role: 'MEMBER',
      status: 'DEACTIVATED',
      isBot: true,
      emailVerifiedAt: null,
      skills: [],
    });
    deriveSearchColumns(bot);
    await manager.save(bot);
    return { id, handle: bot.handle };
  }

  async setRole(viewer: Viewer, userId: string, role: NetworkRoleName): Promise<UserEntity> {
    const target = await this.users.requireVisible(viewer, userId);
    if (target.isBot) throw badInput('userId', 'A bot has no role: it belongs to its integration');
    if (target.id === viewer.id) throw forbidden('You cannot change your own role');
    await this.db.transaction(async (manager) => {
      await manager.query('UPDATE users SET role = $2, updated_at = now() WHERE id = $1', [
        target.id,
        role,
      ]);
      await this.audit.record(
        {
          action: 'user.role-changed',
          actorId: viewer.id,
          targetType: 'user',
          targetId: target.id,
          details: { from: target.role, to: role },
        },
        manager,
      );
    });
    return { ...target, role };
  }

  async suspend(viewer: Viewer, userId: string): Promise<UserEntity> {
    const target = await this.users.requireVisible(viewer, userId);
    if (target.id === viewer.id) throw forbidden('You cannot suspend yourself');
    await this.applySuspension(target, { actorId: viewer.id });
    return { ...target, status: 'SUSPENDED' };
  }

  async reactivate(viewer: Viewer, userId: string): Promise<UserEntity> {
    const target = await this.users.requireVisible(viewer, userId);
    if (target.isBot) throw badInput('userId', 'A bot is not a person: it cannot be reactivated');
    await this.applyReactivation(target, { actorId: viewer.id });
    return { ...target, status: 'ACTIVE' };
  }

  /** Suspends and ends every session, audited as `by` (an admin, or the operator's command). */
  private async applySuspension(target: UserEntity, by: OperatorOrAdmin): Promise<void> {
    await this.db.transaction(async (manager) => {
      await manager.query(
        "UPDATE users SET status = 'SUSPENDED', updated_at = now() WHERE id = $1",
        [target.id],
      );
      await this.sessions.revokeAll(manager, target.id, 'suspended');
      await this.audit.record(
        {
          action: 'user.suspended',
          actorId: by.actorId,
          targetType: 'user',
          targetId: target.id,
          details: { ...by.details, from: target.status },
        },
        manager,
      );
    });
  }

  private async applyReactivation(target: UserEntity, by: OperatorOrAdmin): Promise<void> {
    if (target.status === 'PENDING')
      throw badInput('userId', 'This account has not verified its address yet');
    await this.db.transaction(async (manager) => {
      await manager.query("UPDATE users SET status = 'ACTIVE', updated_at = now() WHERE id = $1", [
        target.id,
      ]);
      await this.audit.record(
        {
          action: 'user.reactivated',
          actorId: by.actorId,
          targetType: 'user',
          targetId: target.id,
          details: { ...by.details, from: target.status },
        },
        manager,
      );
    });
  }

  // ---------------------------------------------------------- the `ruche` operator's commands

  private async byEmail(emailGiven: string): Promise<UserEntity> {
    const email = normalizeEmail(emailGiven);
    const user = await this.db.getRepository(UserEntity).findOneBy({ email });
    if (!user) throw badInput('email', `No account uses ${email.slice(0, 254)}`);
    return user;
  }

  /** The account of this address, or BAD_USER_INPUT on `email` (the CLI's hand-over target). */
  async idOfEmail(email: string): Promise<string> {
    return (await this.byEmail(email)).id;
  }

  /**
   * `ruche suspend`: suspends the account (ending its sessions). `until` and `reason` are kept
   * in the audit event for the people who read it; nothing lifts the suspension by itself.
   */
  async operatorSuspend(
    email: string,
    details: { until?: string; reason?: string },
  ): Promise<UserEntity> {
    const target = await this.byEmail(email);
    await this.applySuspension(target, {
      actorId: null,
      details: { command: 'suspend', operator: true, ...details },
    });
    return { ...target, status: 'SUSPENDED' };
  }

  async operatorUnsuspend(email: string): Promise<UserEntity> {
    const target = await this.byEmail(email);
    await this.applyReactivation(target, {
      actorId: null,
      details: { command: 'unsuspend', operator: true },
    });
    return { ...target, status: 'ACTIVE' };
  }

  /**
   * `ruche reset-password`: with a password, sets it; without, makes a one-time reset link (the
   * same single-use token as the emailed one). Either way every session of the account ends.
   */
  async operatorResetPassword(
    emailGiven: string,
    password?: string,
  ): Promise<{ user: UserEntity; token?: string }> {
    const user = await this.byEmail(emailGiven);
    if (password !== undefined) {
      const weakness = passwordWeakness(password, [user.email, user.displayName]);
      if (weakness) throw badInput('password', weakness);
    }
    const hash = password !== undefined ? await hashPassword(password) : null;
    return this.db.transaction(async (manager) => {
      let token: string | undefined;
      if (hash) {
        await manager.query(
          'UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1',
          [user.id, hash],
        );
      } else {
        token = randomToken();
        await manager.insert(AccountTokenEntity, {
          userId: user.id,
          purpose: 'PASSWORD_RESET',
          tokenHash: sha256(token),
          expiresAt: new Date(Date.now() + TTL.PASSWORD_RESET),
        });
      }
      await this.sessions.revokeAll(manager, user.id, 'password-reset');
      await this.audit.record(
        {
          action: 'auth.password-reset',
          actorId: null,
          targetType: 'user',
          targetId: user.id,
          details: {
            command: 'reset-password',
            operator: true,
            by: hash ? 'password-set' : 'link-issued',
          },
        },
        manager,
      );
      return { user, token };
    });
  }
}
