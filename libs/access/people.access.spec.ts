import type { Viewer } from '@ruche/common';
import { visibleUsers } from './people.access.js';

const viewer = (over: Partial<Viewer>): Viewer => ({ id: 'v', sessionId: 's', role: 'MEMBER', status: 'ACTIVE', ...over });

describe('visibleUsers', () => {
  it.each([
    [{ status: 'PENDING' as const }, 'u.id = :accessViewerId'],
    [{ role: 'ADMIN' as const, status: 'SUSPENDED' as const }, 'u.id = :accessViewerId'],
    [{ role: 'ADMIN' as const }, 'TRUE'],
    [{ role: 'MEMBER' as const }, "(u.id = :accessViewerId OR u.status <> 'PENDING')"],
    [{ role: 'GUEST' as const }, 'u.id = :accessViewerId'],
  ])('%p → %s', (over, sql) => expect(visibleUsers(viewer(over), 'u').sql).toBe(sql));
});
