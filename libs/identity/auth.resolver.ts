import { Args, Mutation, Resolver } from '@nestjs/graphql';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
} from 'class-validator';
import { ArgsType, Field, Int } from '@nestjs/graphql';
import {
  AdminOnly,
  AllowPending,
  CharterExempt,
  Ctx,
  CurrentViewer,
  pickLocale,
  Public,
  type RequestContext,
  type Viewer,
} from '@ruche/common';
import { NetworkService } from '@ruche/network';
import { AccountsService, type ClientInfo, type SignedIn } from './accounts.service.js';
import { AuthPayloadObject, NetworkRole } from './graphql/user.objects.js';
import { SignUpInput } from './graphql/user.inputs.js';
import { toUserObject } from './users.mapper.js';

@ArgsType()
class SignInArgs {
  @Field(() => String) @IsString() @MaxLength(254) email: string;
  @Field(() => String) @IsString() @MaxLength(1000) password: string;
}

@ArgsType()
class TokenArgs {
  @Field(() => String) @IsString() @MaxLength(200) token: string;
}

@ArgsType()
class ResetPasswordArgs extends TokenArgs {
  @Field(() => String)
  @IsString()
  @MaxLength(256, { message: 'password must be at most 256 characters' })
  password: string;
}

@ArgsType()
class InviteMembersArgs {
  @Field(() => [String])
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100, { message: 'emails holds at most 100 addresses per call' })
  @IsString({ each: true })
  @MaxLength(254, { each: true })
  emails: string[];
  @Field(() => NetworkRole, { nullable: true })
  @IsOptional()
  @IsIn(Object.values(NetworkRole))
  role?: NetworkRole;
}

/** With the web app's cookie session, the refresh token goes into the cookie, not the body. */
const payload = (s: SignedIn, ctx: RequestContext): AuthPayloadObject => {
  ctx.web?.keep(s.refreshToken);
  return {
    accessToken: s.accessToken,
    refreshToken: ctx.web ? '' : s.refreshToken,
    expiresIn: s.expiresIn,
    user: { ...toUserObject(s.user), isAuthenticatedSelf: true },
  };
};

@Resolver()
export class AuthResolver {
  constructor(
    private readonly accounts: AccountsService,
    private readonly network: NetworkService,
  ) {}

  private async client(ctx: RequestContext, acceptLanguage?: string): Promise<ClientInfo> {
    const fallback = (await this.network.get()).defaultLocale;
    return { ip: ctx.ip, userAgent: ctx.userAgent, locale: pickLocale(acceptLanguage, fallback) };
  }

  @Public()
  @Mutation(() => AuthPayloadObject)
  async signUp(
    @Args('input') input: SignUpInput,
    @Ctx() ctx: RequestContext,
  ): Promise<AuthPayloadObject> {
    return payload(
      await this.accounts.signUp(input, await this.client(ctx, ctx.acceptLanguage)),
      ctx,
    );
  }

  @Public()
  @Mutation(() => AuthPayloadObject)
  async signIn(@Args() args: SignInArgs, @Ctx() ctx: RequestContext): Promise<AuthPayloadObject> {
    return payload(
      await this.accounts.signIn(args.email, args.password, await this.client(ctx)),
      ctx,
    );
  }

  @Public()
  @Mutation(() => AuthPayloadObject, {
    description: 'An empty refreshToken, from the web app, means the one its session cookie holds.',
  })
  async refreshSession(
    @Args('refreshToken', { type: () => String }) refreshToken: string,
    @Ctx() ctx: RequestContext,
  ): Promise<AuthPayloadObject> {
    const token = refreshToken || ctx.web?.refreshToken || '';
    return payload(await this.accounts.refresh(token.slice(0, 200)), ctx);
  }

  @AllowPending()
  @CharterExempt()
  @Mutation(() => Boolean, { description: "Revokes the current session's refresh token." })
  signOut(@CurrentViewer() viewer: Viewer, @Ctx() ctx: RequestContext): Promise<boolean> {
    ctx.web?.clear();
    return this.accounts.signOut(viewer, ctx.ip);
  }

  @Public()
  @Mutation(() => Boolean)
  verifyEmail(@Args() args: TokenArgs): Promise<boolean> {
    return this.accounts.verifyEmail(args.token);
  }

  @AllowPending()
  @Mutation(() => Boolean, {
    description: 'Sends the signed-in PENDING user a fresh verification email (rate limited).',
  })
  resendVerificationEmail(@CurrentViewer() viewer: Viewer): Promise<boolean> {
    return this.accounts.resendVerification(viewer);
  }

  @Public()
  @Mutation(() => Boolean)
  async requestPasswordReset(
    @Args('email', { type: () => String }) email: string,
    @Ctx() ctx: RequestContext,
  ): Promise<boolean> {
    return this.accounts.requestPasswordReset(email.slice(0, 254), await this.client(ctx));
  }

  @Public()
  @Mutation(() => Boolean)
  resetPassword(@Args() args: ResetPasswordArgs): Promise<boolean> {
    return this.accounts.resetPassword(args.token, args.password);
  }

  @AdminOnly()
  @Mutation(() => Int, {
    description: 'Network admins: invite people by email; returns how many invitations were sent.',
  })
  inviteMembers(@Args() args: InviteMembersArgs, @CurrentViewer() viewer: Viewer): Promise<number> {
    return this.accounts.invite(viewer, args.emails, args.role ?? NetworkRole.MEMBER);
  }
}
