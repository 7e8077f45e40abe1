import { fold } from '@ruche/common';
import type { PermissionMatrix } from './entities/group.entity.js';

export type GroupVisibilityName = 'PUBLIC' | 'PRIVATE' | 'SECRET';
export type JoinPolicyName = 'OPEN' | 'REQUEST' | 'INVITE';
export type GroupRoleName = 'OWNER' | 'ADMIN' | 'MODERATOR' | 'MEMBER' | 'GUEST';
export type MembershipStatusName = 'ACTIVE' | 'PENDING' | 'INVITED';
export type GroupPermissionName =
  | 'POST'
  | 'COMMENT'
  | 'REACT'
  | 'INVITE'
  | 'APPROVE_MEMBERS'
  | 'MODERATE'
  | 'PIN'
  | 'CREATE_SUBGROUP'
  | 'MANAGE_SETTINGS'
  | 'MANAGE_ROLES';

export const ALL_PERMISSIONS: readonly GroupPermissionName[] = [
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
export const ROLES: readonly GroupRoleName[] = ['OWNER', 'ADMIN', 'MODERATOR', 'MEMBER', 'GUEST'];

/** What a new group grants each role (docs/groups.md). OWNER is not stored: it holds everything. */
export const DEFAULT_MATRIX: Required<PermissionMatrix> = {
  ADMIN: [...ALL_PERMISSIONS],
  MODERATOR: ['POST', 'COMMENT', 'REACT', 'INVITE', 'APPROVE_MEMBERS', 'MODERATE', 'PIN'],
  MEMBER: ['POST', 'COMMENT', 'REACT', 'INVITE'],
  GUEST: ['COMMENT', 'REACT'],
};

/** A role's permissions in a group, in the contract's order. */
export function permissionsOf(
  role: GroupRoleName,
  matrix: PermissionMatrix,
): GroupPermissionName[] {
  if (role === 'OWNER') return [...ALL_PERMISSIONS];
  const held = new Set(matrix[role] ?? []);
  return ALL_PERMISSIONS.filter((p) => held.has(p));
}

/** The whole matrix, OWNER first, as the API shows it. */
export function fullMatrix(
  matrix: PermissionMatrix,
): { role: GroupRoleName; permissions: GroupPermissionName[] }[] {
  return ROLES.map((role) => ({ role, permissions: permissionsOf(role, matrix) }));
}

/** Permissions in `wanted` the holder of `held` may not hand out (nobody grants what they lack). */
export function beyond(
  held: readonly GroupPermissionName[],
  wanted: Iterable<GroupPermissionName>,
): GroupPermissionName[] {
  const mine = new Set(held);
  return [...new Set(wanted)].filter((p) => !mine.has(p));
}

/** Changing a role's set touches what is added and what is removed: both must be held. */
export function touched(
  before: readonly GroupPermissionName[],
  after: readonly GroupPermissionName[],
): GroupPermissionName[] {
  const a = new Set(before);
  const b = new Set(after);
  return ALL_PERMISSIONS.filter((p) => a.has(p) !== b.has(p));
}

/** Lower-case letters, digits and dashes, 3 to 50, starting and ending with a letter or digit. */
export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{1,48}[a-z0-9])$/;

/** A slug made from a name: "Équipe R&D" → "equipe-r-d" (padded when too short). */
export function slugify(name: string): string {
  const base = fold(name)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return base.length >= 3 ? base : `group-${base || 'x'}`.replace(/-+$/, '');
}
