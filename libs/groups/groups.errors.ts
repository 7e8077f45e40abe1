import { type AppError, conflict, forbidden, notFound } from '@ruche/common';
import type { GroupPermissionName } from './groups.rules.js';

/**
 * The groups domain's refusals. A group the viewer may not see is always NOT_FOUND, exactly as a
 * missing one: FORBIDDEN is kept for groups the viewer already knows.
 */
export const GroupErrors = {
  notFound: (): AppError => notFound('No such group'),
  noSuchMember: (): AppError => notFound('This person has no such membership in this group'),
  noInvitation: (): AppError => notFound('You have no invitation to this group'),
  lacks: (permission: GroupPermissionName): AppError =>
    forbidden(`You need the ${permission} permission in this group`),
  archived: (): AppError => forbidden('This group is archived: it is read-only'),
  inviteOnly: (): AppError => forbidden('This group is joined by invitation only'),
  guestTopLevel: (): AppError =>
    forbidden('Guests create groups only inside a group where they may'),
  cannotGrant: (permissions: GroupPermissionName[]): AppError =>
    forbidden(`You cannot grant or withdraw what you do not hold: ${permissions.join(', ')}`),
  ownersOnly: (): AppError => forbidden('Only an owner may give or take the OWNER role'),
  outranks: (): AppError => forbidden('This person holds permissions you do not'),
  lastOwner: (field: string): AppError =>
    conflict(field, 'A group keeps at least one owner: make someone else owner first'),
  slugTaken: (): AppError => conflict('slug', 'This slug is taken'),
};
