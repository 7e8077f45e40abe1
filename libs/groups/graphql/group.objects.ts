import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection } from '@ruche/common';
import type { PermissionMatrix } from '../entities/group.entity.js';

export enum GroupVisibility {
  PUBLIC = 'PUBLIC',
  PRIVATE = 'PRIVATE',
  SECRET = 'SECRET',
}
registerEnumType(GroupVisibility, {
  name: 'GroupVisibility',
  valuesMap: {
    PUBLIC: {
      description:
        "Content readable by every non-guest member of the network — for a sub-group, by whoever may read its parent's content.",
    },
    PRIVATE: {
      description:
        'Listed (name, description, member count) to those same people; content for members only.',
    },
    SECRET: { description: 'Does not exist for anyone who is not a member.' },
  },
});

export enum JoinPolicy {
  OPEN = 'OPEN',
  REQUEST = 'REQUEST',
  INVITE = 'INVITE',
}
registerEnumType(JoinPolicy, { name: 'JoinPolicy' });

export enum GroupRole {
  OWNER = 'OWNER',
  ADMIN = 'ADMIN',
  MODERATOR = 'MODERATOR',
  MEMBER = 'MEMBER',
  GUEST = 'GUEST',
}
registerEnumType(GroupRole, { name: 'GroupRole' });

export enum GroupPermission {
  POST = 'POST',
  COMMENT = 'COMMENT',
  REACT = 'REACT',
  INVITE = 'INVITE',
  APPROVE_MEMBERS = 'APPROVE_MEMBERS',
  MODERATE = 'MODERATE',
  PIN = 'PIN',
  CREATE_SUBGROUP = 'CREATE_SUBGROUP',
  MANAGE_SETTINGS = 'MANAGE_SETTINGS',
  MANAGE_ROLES = 'MANAGE_ROLES',
}
registerEnumType(GroupPermission, { name: 'GroupPermission' });

export enum MembershipStatus {
  ACTIVE = 'ACTIVE',
  PENDING = 'PENDING',
  INVITED = 'INVITED',
}
registerEnumType(MembershipStatus, {
  name: 'MembershipStatus',
  valuesMap: {
    PENDING: { description: 'Asked to join; waits for someone holding APPROVE_MEMBERS.' },
    INVITED: { description: 'Invited; waits for the invitee.' },
  },
});

@ObjectType('RolePermissions')
export class RolePermissionsObject {
  @Field(() => GroupRole) role: GroupRole;
  @Field(() => [GroupPermission]) permissions: GroupPermission[];
}

/**
 * A group as one viewer may know it. `canList` and `canRead` come from the access rule in the
 * same query that loaded the row; field resolvers show or hide from them.
 */
@ObjectType('Group')
export class GroupObject {
  @Field(() => ID) id: string;
  @Field(() => String) slug: string;
  @Field(() => String) name: string;
  @Field(() => GroupVisibility) visibility: GroupVisibility;
  @Field(() => JoinPolicy) joinPolicy: JoinPolicy;
  @Field(() => Boolean) archived: boolean;
  @Field(() => Date) createdAt: Date;
  /** Resolved by GroupsResolver.description: shown to those the group is listed to. */
  descriptionText: string | null;
  parentId: string | null;
  matrix: PermissionMatrix;
  canList: boolean;
  canRead: boolean;
}

@ObjectType('Membership')
export class MembershipObject {
  @Field(() => GroupRole) role: GroupRole;
  @Field(() => MembershipStatus) status: MembershipStatus;
  @Field(() => Date) createdAt: Date;
  /** Resolved through the viewer's access by MembershipsResolver. */
  userId: string;
  groupId: string;
}

export const GroupConnection = Connection(GroupObject, 'Group', { totalCount: true });
export const MembershipConnection = Connection(MembershipObject, 'Membership', {
  totalCount: true,
});
