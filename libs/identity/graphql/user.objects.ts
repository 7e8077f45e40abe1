import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection } from '@ruche/common';

export enum NetworkRole {
  MEMBER = 'MEMBER',
  ADMIN = 'ADMIN',
  GUEST = 'GUEST',
}
registerEnumType(NetworkRole, {
  name: 'NetworkRole',
  valuesMap: {
    GUEST: {
      description:
        'An external collaborator: sees only the groups it was added to, never company-wide content.',
    },
  },
});

export enum UserStatus {
  PENDING = 'PENDING',
  ACTIVE = 'ACTIVE',
  SUSPENDED = 'SUSPENDED',
  DEACTIVATED = 'DEACTIVATED',
}
registerEnumType(UserStatus, { name: 'UserStatus' });

@ObjectType('Profile')
export class ProfileObject {
  @Field(() => String, { nullable: true }) jobTitle: string | null;
  @Field(() => String, { nullable: true }) department: string | null;
  @Field(() => String, { nullable: true }) location: string | null;
  @Field(() => String, { nullable: true }) phone: string | null;
  @Field(() => String, { nullable: true }) bio: string | null;
  @Field(() => [String]) skills: string[];
  @Field(() => String, { nullable: true }) avatarUrl: string | null;
  @Field(() => String) timezone: string;
  @Field(() => String) locale: string;
  /** Resolved by ProfileResolver.manager, through the viewer's access. */
  managerId: string | null;
}

@ObjectType('User')
export class UserObject {
  @Field(() => ID) id: string;
  @Field(() => String) handle: string;
  @Field(() => String) displayName: string;
  @Field(() => NetworkRole) role: NetworkRole;
  @Field(() => UserStatus) status: UserStatus;
  @Field(() => Boolean, { description: "An integration's bot, never a person." }) isBot: boolean;
  @Field(() => ProfileObject) profile: ProfileObject;
  @Field(() => Date) createdAt: Date;
  /** Resolved by UsersResolver.email: the user themself and admins only. */
  emailAddress: string;
  /** Set on the user of an AuthPayload: the person who just proved who they are. */
  isAuthenticatedSelf?: boolean;
}

export const UserConnection = Connection(UserObject, 'User', { totalCount: true });

@ObjectType('AuthPayload')
export class AuthPayloadObject {
  @Field(() => String) accessToken: string;
  @Field(() => String) refreshToken: string;
  @Field(() => Int, { description: 'Seconds until the access token expires.' }) expiresIn: number;
  @Field(() => UserObject) user: UserObject;
}
