import {
  createParamDecorator,
  ForbiddenException,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import {
  ADMIN_ONLY,
  ALLOW_PENDING,
  CHARTER_EXEMPT,
  charterRequired,
  contextOf,
  forbidden,
  IS_PUBLIC,
  unauthenticated,
  type Viewer,
} from '@ruche/common';
import { SessionsService } from '@ruche/identity';

/** Reads `Authorization: Bearer <accessToken>`: no header gives no viewer; a bad one an error. */
export async function authenticate(
  sessions: SessionsService,
  header: unknown,
): Promise<{ viewer: Viewer | null; authError?: Error }> {
  if (typeof header !== 'string' || !header) return { viewer: null };
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match)
    return {
      viewer: null,
      authError: unauthenticated('Use "Authorization: Bearer <accessToken>"'),
    };
  try {
    return { viewer: await sessions.authenticate(match[1]) };
  } catch (error) {
    return { viewer: null, authError: error as Error };
  }
}

type ViewerRequest = Request & { viewer?: Viewer };

/** The viewer an HTTP route's guard authenticated (ACTIVE). */
export const HttpViewer = createParamDecorator(
  (_: unknown, ctx: ExecutionContext) => ctx.switchToHttp().getRequest<ViewerRequest>().viewer,
);

/**
 * Every operation needs an ACTIVE viewer unless marked: @Public (anyone), @AllowPending (a signed-in
 * account whose address is not verified yet), @AdminOnly (network admins). HTTP routes (files) take
 * the same Bearer access token as GraphQL.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const marked = (key: string) =>
      this.reflector.getAllAndOverride<boolean>(key, [context.getHandler(), context.getClass()]) ===
      true;
    if (context.getType<string>() === 'graphql') {
      const refused = contextOf(context).refused;
      if (refused) throw refused;
    }
    // Public operations (sign-in, refresh, health...) work even when a stale token is still attached.
    if (marked(IS_PUBLIC)) return true;
    if (context.getType<string>() !== 'graphql') {
      const req = context.switchToHttp().getRequest<ViewerRequest>();
      const { viewer, authError } = await authenticate(this.sessions, req.headers.authorization);
      if (!viewer)
        throw new UnauthorizedException(
          authError?.message ?? 'Sign in first: send "Authorization: Bearer <accessToken>"',
        );
      if (viewer.status !== 'ACTIVE')
        throw new ForbiddenException('Confirm your email address first: we sent you a link');
      if (viewer.charterPending && !marked(CHARTER_EXEMPT)) throw charterRequired();
      if (marked(ADMIN_ONLY) && viewer.role !== 'ADMIN')
        throw new ForbiddenException('Network administrators only');
      req.viewer = viewer;
      return true;
    }
    const ctx = contextOf(context);
    if (ctx.authError) throw ctx.authError;
    const viewer = ctx.viewer;
    if (!viewer) throw unauthenticated();
    if (viewer.status !== 'ACTIVE' && !marked(ALLOW_PENDING))
      throw forbidden('Confirm your email address first: we sent you a link');
    // The one place the charter is enforced: queries, mutations and subscriptions alike.
    if (viewer.charterPending && !marked(CHARTER_EXEMPT)) throw charterRequired();
    if (marked(ADMIN_ONLY) && viewer.role !== 'ADMIN')
      throw forbidden('Network administrators only');
    return true;
  }
}
