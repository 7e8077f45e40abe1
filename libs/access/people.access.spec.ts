import type { Viewer } from '@ruche/common';
import { visibleUsers } from './people.access.js';

const viewer = (over: Partial<Viewer>): Viewer => ({
  id: 'v',
  sessionId: 's',
  role: 'MEMBER',
  status: 'ACTIVE',
  ...over,
});

describe('visibleUsers', () => {
  it.each([
    [{ status: 'PENDING' as const }, 'u.id = :accessViewerId'],
    [{ role: 'ADMIN' as const, status: 'SUSPENDED' as const }, 'u.id = :accessViewerId'],
    [{ role: 'ADMIN' as const }, 'TRUE'],
    [{ role: 'MEMBER' as const }, "(u.id = :accessViewerId OR u.status <> 'PENDING')"],
  ])('%p → %s', (over, sql) => expect(visibleUsers(viewer(over), 'u').sql).toBe(sql));

  it('lets a guest see itself and the people sharing an ACTIVE membership with it', () => {
    const sql = visibleUsers(viewer({ role: 'GUEST' }), 'u').sql.replace(/\s+/g, ' ');
    expect(sql).toContain('u.id = :accessViewerId OR');
    expect(sql).toContain(
      "pv.user_id = :accessViewerId AND pv.status = 'ACTIVE' AND po.user_id = u.id AND po.status = 'ACTIVE'",
    );
  });
});
