import { defineMessages } from 'react-intl';
import type { GroupPermission, GroupRole, GroupVisibility, JoinPolicy } from '../../gql/graphql';

/** The groups' vocabulary in words: visibilities, join policies, roles and permissions. */

export const VISIBILITIES: GroupVisibility[] = ['PUBLIC', 'PRIVATE', 'SECRET'];
export const JOIN_POLICIES: JoinPolicy[] = ['OPEN', 'REQUEST', 'INVITE'];
export const ROLES: GroupRole[] = ['OWNER', 'ADMIN', 'MODERATOR', 'MEMBER', 'GUEST'];
export const PERMISSIONS: GroupPermission[] = [
  'POST',
  'COMMENT',
  'REACT',
  'INVITE',
  'APPROVE_MEMBERS',
  'MODERATE',
  'PIN',
  'CREATE_SUBGROUP',
  'MANAGE_SETTINGS',
  'MANAGE_ROLES',
];

export const visibilityName = defineMessages<GroupVisibility>({
  PUBLIC: { id: 'groups.visibility.PUBLIC', defaultMessage: 'Public', description: 'Visibility' },
  PRIVATE: {
    id: 'groups.visibility.PRIVATE',
    defaultMessage: 'Private',
    description: 'Visibility',
  },
  SECRET: { id: 'groups.visibility.SECRET', defaultMessage: 'Secret', description: 'Visibility' },
});

export const visibilityHelp = defineMessages<GroupVisibility>({
  PUBLIC: {
    id: 'groups.visibility.PUBLIC.help',
    defaultMessage: 'Everyone in the company can find the group and read its posts.',
    description: 'What a public group means',
  },
  PRIVATE: {
    id: 'groups.visibility.PRIVATE.help',
    defaultMessage:
      'Everyone can find the group and see its name, description and member count; only members read its posts.',
    description: 'What a private group means',
  },
  SECRET: {
    id: 'groups.visibility.SECRET.help',
    defaultMessage:
      'Only members know the group exists: it appears nowhere and its address shows “not found” to anyone else.',
    description: 'What a secret group means',
  },
});

export const joinPolicyName = defineMessages<JoinPolicy>({
  OPEN: {
    id: 'groups.joinPolicy.OPEN',
    defaultMessage: 'Anyone may join',
    description: 'Join policy',
  },
  REQUEST: {
    id: 'groups.joinPolicy.REQUEST',
    defaultMessage: 'Join on request',
    description: 'Join policy',
  },
  INVITE: {
    id: 'groups.joinPolicy.INVITE',
    defaultMessage: 'By invitation only',
    description: 'Join policy',
  },
});

export const joinPolicyHelp = defineMessages<JoinPolicy>({
  OPEN: {
    id: 'groups.joinPolicy.OPEN.help',
    defaultMessage: 'People who can see the group join at once.',
    description: 'What an open join policy means',
  },
  REQUEST: {
    id: 'groups.joinPolicy.REQUEST.help',
    defaultMessage: 'People ask to join; a manager accepts or refuses each request.',
    description: 'What a request join policy means',
  },
  INVITE: {
    id: 'groups.joinPolicy.INVITE.help',
    defaultMessage: 'Only people invited by a member holding “Invite” can join.',
    description: 'What an invite-only join policy means',
  },
});

export const roleName = defineMessages<GroupRole>({
  OWNER: { id: 'groups.role.OWNER', defaultMessage: 'Owner', description: 'Group role' },
  ADMIN: { id: 'groups.role.ADMIN', defaultMessage: 'Admin', description: 'Group role' },
  MODERATOR: {
    id: 'groups.role.MODERATOR',
    defaultMessage: 'Moderator',
    description: 'Group role',
  },
  MEMBER: { id: 'groups.role.MEMBER', defaultMessage: 'Member', description: 'Group role' },
  GUEST: { id: 'groups.role.GUEST', defaultMessage: 'Guest', description: 'Group role' },
});

export const permissionName = defineMessages<GroupPermission>({
  POST: { id: 'groups.permission.POST', defaultMessage: 'Post', description: 'Permission' },
  COMMENT: {
    id: 'groups.permission.COMMENT',
    defaultMessage: 'Comment',
    description: 'Permission',
  },
  REACT: { id: 'groups.permission.REACT', defaultMessage: 'React', description: 'Permission' },
  INVITE: { id: 'groups.permission.INVITE', defaultMessage: 'Invite', description: 'Permission' },
  APPROVE_MEMBERS: {
    id: 'groups.permission.APPROVE_MEMBERS',
    defaultMessage: 'Approve members',
    description: 'Permission',
  },
  MODERATE: {
    id: 'groups.permission.MODERATE',
    defaultMessage: 'Moderate',
    description: 'Permission',
  },
  PIN: { id: 'groups.permission.PIN', defaultMessage: 'Pin', description: 'Permission' },
  CREATE_SUBGROUP: {
    id: 'groups.permission.CREATE_SUBGROUP',
    defaultMessage: 'Create sub-groups',
    description: 'Permission',
  },
  MANAGE_SETTINGS: {
    id: 'groups.permission.MANAGE_SETTINGS',
    defaultMessage: 'Manage settings',
    description: 'Permission',
  },
  MANAGE_ROLES: {
    id: 'groups.permission.MANAGE_ROLES',
    defaultMessage: 'Manage roles',
    description: 'Permission',
  },
});

export const permissionHelp = defineMessages<GroupPermission>({
  POST: {
    id: 'groups.permission.POST.help',
    defaultMessage: 'Write posts in the group',
    description: 'What the POST permission lets a role do',
  },
  COMMENT: {
    id: 'groups.permission.COMMENT.help',
    defaultMessage: 'Comment on the group’s posts',
    description: 'What the COMMENT permission lets a role do',
  },
  REACT: {
    id: 'groups.permission.REACT.help',
    defaultMessage: 'React to posts and comments',
    description: 'What the REACT permission lets a role do',
  },
  INVITE: {
    id: 'groups.permission.INVITE.help',
    defaultMessage: 'Invite colleagues to join',
    description: 'What the INVITE permission lets a role do',
  },
  APPROVE_MEMBERS: {
    id: 'groups.permission.APPROVE_MEMBERS.help',
    defaultMessage: 'Accept or refuse join requests',
    description: 'What the APPROVE_MEMBERS permission lets a role do',
  },
  MODERATE: {
    id: 'groups.permission.MODERATE.help',
    defaultMessage: 'Hide posts and comments, handle reports',
    description: 'What the MODERATE permission lets a role do',
  },
  PIN: {
    id: 'groups.permission.PIN.help',
    defaultMessage: 'Pin posts at the top of the group',
    description: 'What the PIN permission lets a role do',
  },
  CREATE_SUBGROUP: {
    id: 'groups.permission.CREATE_SUBGROUP.help',
    defaultMessage: 'Create sub-groups inside this group',
    description: 'What the CREATE_SUBGROUP permission lets a role do',
  },
  MANAGE_SETTINGS: {
    id: 'groups.permission.MANAGE_SETTINGS.help',
    defaultMessage: 'Change the name, description, visibility and join policy',
    description: 'What the MANAGE_SETTINGS permission lets a role do',
  },
  MANAGE_ROLES: {
    id: 'groups.permission.MANAGE_ROLES.help',
    defaultMessage: 'Change members’ roles, remove members, edit this table',
    description: 'What the MANAGE_ROLES permission lets a role do',
  },
});

/** A ref from the address: an id when it looks like a UUID, else a slug. */
export function refVariables(ref: string): { id: string } | { slug: string } {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(ref)
    ? { id: ref }
    : { slug: ref };
}

/** The permissions that open the settings page. */
export const MANAGING: GroupPermission[] = [
  'MANAGE_SETTINGS',
  'APPROVE_MEMBERS',
  'INVITE',
  'MANAGE_ROLES',
];
