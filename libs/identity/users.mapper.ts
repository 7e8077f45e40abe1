import { fold, words } from '@ruche/common';
import type { UserEntity } from './entities/user.entity.js';
import type { NetworkRole, UserObject, UserStatus } from './graphql/user.objects.js';

/** Entity → GraphQL object: the only place fields cross, so `passwordHash` never can. */
export function toUserObject(u: UserEntity): UserObject {
  return {
    id: u.id,
    handle: u.handle,
    displayName: u.displayName,
    role: u.role as NetworkRole,
    status: u.status as UserStatus,
    isBot: u.isBot ?? false,
    createdAt: u.createdAt,
    emailAddress: u.email,
    profile: {
      jobTitle: u.jobTitle,
      department: u.department,
      location: u.location,
      phone: u.phone,
      bio: u.bio,
      skills: u.skills,
      avatarUrl: u.avatarUrl,
      timezone: u.timezone,
      locale: u.locale,
      managerId: u.managerId,
    },
  };
}

/** Recomputes the directory columns from the fields they come from. */
export function deriveSearchColumns(u: UserEntity): void {
  u.sortName = fold(u.displayName);
  const terms = [
    ...new Set(
      words(
        [u.displayName, u.handle, u.jobTitle, u.department, ...u.skills].filter(Boolean).join(' '),
      ),
    ),
  ];
  u.searchText = terms.join(' ');
  // Terms are letters and digits only, so quoting them makes a safe tsvector literal.
  u.searchVector = terms.map((t) => `'${t}'`).join(' ');
}
