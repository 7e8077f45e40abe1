import { Harness } from './support/harness.js';
import { allowDomains, makeAdmin, makeMember } from './support/builders.js';

let h: Harness;
beforeAll(async () => (h = await Harness.start({ worker: true })));
afterAll(() => h.stop());

it('signs up, verifies by email and reads the viewer', async () => {
  const admin = await makeAdmin(h);
  await allowDomains(h, admin);
  const m = await makeMember(h);
  const { viewer } = await h.ok(`{ viewer { id status email followersCount profile { skills manager { id } } } }`, {}, m.token);
  expect(viewer).toEqual({ id: m.id, status: 'ACTIVE', email: m.email, followersCount: 0, profile: { skills: [], manager: null } });
});
