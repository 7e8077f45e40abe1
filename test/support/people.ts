import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AccountsService, SessionsService } from '@ruche/identity';
import type { Harness } from './harness.js';
import { PASSWORD } from './builders.js';

export interface Someone {
  id: string;
  handle: string;
  token: string;
}

/**
 * A person made by identity's own service (so every derived column is right), given a role and a
 * status, with an open session: no sign-up email, no worker. For tests about what people see
 * once they exist (groups, access), not about how they got in.
 */
export async function someone(
  h: Harness,
  role: 'ADMIN' | 'MEMBER' | 'GUEST' = 'MEMBER',
  status: 'ACTIVE' | 'PENDING' | 'SUSPENDED' = 'ACTIVE',
  name = `${role.toLowerCase()} ${randomBytes(3).toString('hex')}`,
): Promise<Someone> {
  const email = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}.${randomBytes(3).toString('hex')}@acme.test`;
  const user = await h.api.get(AccountsService).createAdmin(email, PASSWORD, name);
  await h.db.query('UPDATE users SET role = $2, status = $3 WHERE id = $1', [
    user.id,
    role,
    status,
  ]);
  return { id: user.id, handle: user.handle, token: await tokenFor(h, user.id) };
}

/** A fresh access token for an existing account. */
export async function tokenFor(h: Harness, id: string): Promise<string> {
  const { accessToken } = await h.api
    .get(SessionsService)
    .open(h.api.get(DataSource).manager, { id } as never, { ip: '127.0.0.1' });
  return accessToken;
}
