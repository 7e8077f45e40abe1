import { Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ADMIN_ONLY, ALLOW_PENDING, contextOf, forbidden, IS_PUBLIC, unauthenticated } from '@ruche/common';

/**
 * Every operation needs an ACTIVE viewer unless marked: @Public (anyone), @AllowPending (a signed-in
 * account whose address is not verified yet), @AdminOnly (network admins).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const marked = (key: string) => this.reflector.getAllAndOverride<boolean>(key, [context.getHandler(), context.getClass()]) === true;
    if (context.getType<string>() !== 'graphql') {
      // HTTP routes (health, metrics, later files) say for themselves who may call them.
      if (marked(IS_PUBLIC)) return true;
      throw new UnauthorizedException();
    }
    const ctx = contextOf(context);
    // Public operations (sign-in, refresh...) work even when a stale token is still attached.
    if (marked(IS_PUBLIC)) return true;
    if (ctx.authError) throw ctx.authError;
    const viewer = ctx.viewer;
    if (!viewer) throw unauthenticated();
    if (viewer.status !== 'ACTIVE' && !marked(ALLOW_PENDING)) throw forbidden('Confirm your email address first: we sent you a link');
    if (marked(ADMIN_ONLY) && viewer.role !== 'ADMIN') throw forbidden('Network administrators only');
    return true;
  }
}
