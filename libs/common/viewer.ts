import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import DataLoader from 'dataloader';
import { isUuid } from './text.js';

export type NetworkRoleName = 'MEMBER' | 'ADMIN' | 'GUEST';
export type UserStatusName = 'PENDING' | 'ACTIVE' | 'SUSPENDED' | 'DEACTIVATED';

/** Who is asking: set by the API's guard from the access token, checked against the database. */
export interface Viewer {
  id: string;
  sessionId: string;
  role: NetworkRoleName;
  status: UserStatusName;
  /**
   * An ACTIVE member who has not accepted the current charter: every operation but those marked
   * @CharterExempt answers CHARTER_REQUIRED (read with the session, no query of its own).
   */
  charterPending?: boolean;
}

/** The request-scoped GraphQL context. */
export interface RequestContext {
  viewer: Viewer | null;
  ip: string;
  userAgent?: string;
  acceptLanguage?: string;
  requestId: string;
  /** Set when a token was given but refused: every operation then answers with it. */
  authError?: Error;
  /** Per-request DataLoaders, created lazily by the loaders' owners. */
  loaders: Map<string, unknown>;
  /** Present when the web app asks for the cookie session (its CSRF header and origin checked). */
  web?: WebSession;
  /** A cross-site request: every operation, public ones too, answers with it. */
  refused?: Error;
}

/**
 * The web app's session: the refresh token lives in an httpOnly cookie the API sets and rotates,
 * so the mutation's body answers an empty refreshToken.
 */
export interface WebSession {
  /** The refresh token the browser's cookie holds, if any. */
  readonly refreshToken?: string;
  /** Keeps this refresh token in the cookie. */
  keep(refreshToken: string): void;
  /** Removes the cookie (sign-out). */
  clear(): void;
}

export const IS_PUBLIC = 'ruche:public';
export const ALLOW_PENDING = 'ruche:allow-pending';
export const ADMIN_ONLY = 'ruche:admin-only';
export const CHARTER_EXEMPT = 'ruche:charter-exempt';

/** Reachable without signing in (the viewer may still be set). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
/** Reachable by a signed-in PENDING account (verification, sign-out). */
export const AllowPending = () => SetMetadata(ALLOW_PENDING, true);
/** Reachable before the current charter is accepted (charter, acceptCharter, viewer, signOut). */
export const CharterExempt = () => SetMetadata(CHARTER_EXEMPT, true);
/** Network admins only. */
export const AdminOnly = () => SetMetadata(ADMIN_ONLY, true);

export function contextOf(ctx: ExecutionContext): RequestContext {
  // What GqlExecutionContext.create(ctx).getContext() returns, without making a context object per
  // field (this runs for every resolved field that asks for the viewer or the context).
  return ctx.getArgByIndex<RequestContext>(2);
}

/** The authenticated viewer (null on public operations when nobody signed in). */
export const CurrentViewer = createParamDecorator(
  (_: unknown, ctx: ExecutionContext) => contextOf(ctx).viewer,
);
/**
 * The whole request context. Field resolvers without arguments do not use it: they are written
 * `field(parent: T, _args: unknown, ctx: RequestContext)` with no parameter decorator, so Nest binds
 * them as they are (with a decorator, every resolved field goes through Nest's pipes and context
 * creation: 1.4 ms of CPU per home-feed page). Decorators stay where @Args must be validated.
 */
export const Ctx = createParamDecorator((_: unknown, ctx: ExecutionContext) => contextOf(ctx));

/** Returns the per-request loader named `key`, creating it on first use. */
export function loader<T>(ctx: RequestContext, key: string, create: () => T): T {
  let found = ctx.loaders.get(key) as T | undefined;
  if (!found) {
    found = create();
    ctx.loaders.set(key, found);
  }
  return found;
}

/**
 * The one shape of a per-request "by id" loader that goes through the access rule: `fetch` gets
 * the well-formed ids only and returns what the viewer may read; everything else loads as null
 * (not found, not readable, no viewer).
 */
export function accessLoader<T extends { id: string }>(
  ctx: RequestContext,
  key: string,
  fetch: (viewer: Viewer, ids: string[]) => Promise<T[]>,
): DataLoader<string, T | null> {
  return loader(ctx, key, () => {
    const viewer = ctx.viewer;
    return new DataLoader<string, T | null>(async (ids) => {
      const valid = ids.filter(isUuid);
      if (!viewer || !valid.length) return ids.map(() => null);
      const byId = new Map((await fetch(viewer, valid)).map((r) => [r.id, r]));
      return ids.map((id) => byId.get(id) ?? null);
    });
  });
}
