import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'ldapts';
import { Harness, codeOf } from './support/harness.js';
import { SIGN_IN } from './support/builders.js';

/**
 * LDAP sign-in through signIn(email, password) against Debian's slapd, started here in a
 * temporary folder (slapd.conf, mdb backend, inetOrgPerson entries loaded with slapadd).
 */

const BASE = 'dc=acme,dc=test';
const ROOT_DN = `cn=admin,${BASE}`;
const ROOT_PW = 'root-secret-for-slapd';
const ANA_PW = 'Ana-Directory-Pass-1';
const BOB_PW = 'Bob-Directory-Pass-2';

let dir = '';
let slapd: ChildProcess;
let url = '';
let h: Harness;

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

const person = (uid: string, mail: string, cn: string, dept: string, title: string, pw: string) =>
  `dn: uid=${uid},ou=people,${BASE}
objectClass: inetOrgPerson
uid: ${uid}
cn: ${cn}
sn: ${cn.split(' ').pop()}
mail: ${mail}
departmentNumber: ${dept}
title: ${title}
userPassword: ${pw}
`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ruche-slapd-'));
  await mkdir(join(dir, 'db'));
  const port = await freePort();
  url = `ldap://127.0.0.1:${port}`;
  const conf = `include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile ${dir}/slapd.pid
database mdb
maxsize 10485760
suffix "${BASE}"
rootdn "${ROOT_DN}"
rootpw ${ROOT_PW}
directory ${dir}/db
access to attrs=userPassword by self read by anonymous auth by * none
access to * by * read
`;
  await writeFile(join(dir, 'slapd.conf'), conf);
  const ldif = `dn: ${BASE}
objectClass: dcObject
objectClass: organization
dc: acme
o: Acme

dn: ou=people,${BASE}
objectClass: organizationalUnit
ou: people

${person('ana', 'ana.ldap@acme.test', 'Ana Directory', 'Finance', 'Controller', ANA_PW)}
${person('bob', 'bob.ldap@acme.test', 'Bob Directory', 'Sales', 'Rep', BOB_PW)}
${person('star', '*@acme.test', 'Star Entry', 'None', 'None', 'Star-Pass-333')}`;
  await writeFile(join(dir, 'people.ldif'), ldif);
  const add = spawnSync(
    '/usr/sbin/slapadd',
    ['-f', join(dir, 'slapd.conf'), '-l', join(dir, 'people.ldif')],
    {
      encoding: 'utf8',
    },
  );
  if (add.status !== 0) throw new Error(`slapadd failed: ${add.stderr}`);
  slapd = spawn('/usr/sbin/slapd', ['-d', '0', '-f', join(dir, 'slapd.conf'), '-h', url], {
    stdio: 'ignore',
  });
  for (let i = 0; ; i++) {
    const c = new Client({ url, connectTimeout: 500 });
    try {
      await c.bind(ROOT_DN, ROOT_PW);
      await c.unbind();
      break;
    } catch (error) {
      if (i > 50) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  h = await Harness.start({
    env: {
      LDAP_URL: url,
      LDAP_BIND_DN: ROOT_DN,
      LDAP_BIND_PASSWORD: ROOT_PW,
      LDAP_SEARCH_BASE: `ou=people,${BASE}`,
      LDAP_SEARCH_FILTER: '(&(objectClass=inetOrgPerson)(mail={{email}}))',
      SSO_RECHECK_MINUTES: '0',
    },
  });
});

afterAll(async () => {
  await h?.stop();
  slapd?.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 200));
  await rm(dir, { recursive: true, force: true });
});

const userRow = async (email: string) =>
  (
    await h.db.query(
      `SELECT id, display_name, department, job_title, status, email_verified_at, password_hash
         FROM users WHERE email = $1`,
      [email],
    )
  ).rows[0];

describe('LDAP sign-in', () => {
  it('signs in with the directory password, creating the account with its attributes', async () => {
    const res = await h.gql(SIGN_IN, { email: 'Ana.LDAP@acme.test', password: ANA_PW });
    expect(res.errors).toBeUndefined();
    const row = await userRow('ana.ldap@acme.test');
    expect(row).toMatchObject({
      display_name: 'Ana Directory',
      department: 'Finance',
      job_title: 'Controller',
      status: 'ACTIVE',
      password_hash: null,
    });
    const { rows } = await h.db.query(`SELECT provider FROM sessions WHERE user_id = $1`, [row.id]);
    expect(rows).toEqual([{ provider: 'ldap' }]);
    const { signInOptions } = await h.ok(`{ signInOptions { ldap oidc { name } } }`);
    expect(signInOptions).toEqual({ ldap: true, oidc: null });
  });

  it('refuses a wrong password and an unknown person alike', async () => {
    const wrong = await h.gql(SIGN_IN, { email: 'bob.ldap@acme.test', password: ANA_PW });
    expect(codeOf(wrong)).toBe('UNAUTHENTICATED');
    const empty = await h.gql(SIGN_IN, { email: 'bob.ldap@acme.test', password: '' });
    expect(codeOf(empty)).toBe('UNAUTHENTICATED');
    const unknown = await h.gql(SIGN_IN, { email: 'nobody@acme.test', password: ANA_PW });
    expect(codeOf(unknown)).toBe('UNAUTHENTICATED');
    expect(await userRow('bob.ldap@acme.test')).toBeUndefined();
  });

  it('escapes the address: an injection in the email matches no one', async () => {
    // Unescaped, "*" would match every entry (and "*)(" would reshape the filter): with Ana's
    // password, none of these reaches her entry.
    for (const email of [
      '*@acme.test',
      'ana*@acme.test',
      '*)(mail=*@acme.test',
      'a\\2a@acme.test',
    ]) {
      const res = await h.gql(SIGN_IN, { email, password: ANA_PW });
      expect(['UNAUTHENTICATED', 'BAD_USER_INPUT']).toContain(codeOf(res));
    }
    // The literal "*@acme.test" entry signs in with its own password: the "*" was escaped (as a
    // wildcard it would match three entries, which signs no one in).
    const literal = await h.gql(SIGN_IN, { email: '*@acme.test', password: 'Star-Pass-333' });
    expect(literal.errors).toBeUndefined();
    expect((await userRow('*@acme.test')).display_name).toBe('Star Entry');
  });

  it('ends the session at the next refresh once the entry is deleted', async () => {
    const { signIn } = await h.ok(SIGN_IN, { email: 'bob.ldap@acme.test', password: BOB_PW });
    const again = await h.ok(
      `mutation($r: String!) { refreshSession(refreshToken: $r) { refreshToken } }`,
      { r: signIn.refreshToken },
    );
    const admin = new Client({ url });
    await admin.bind(ROOT_DN, ROOT_PW);
    await admin.del(`uid=bob,ou=people,${BASE}`);
    await admin.unbind();
    const ended = await h.gql(
      `mutation($r: String!) { refreshSession(refreshToken: $r) { refreshToken } }`,
      { r: again.refreshSession.refreshToken },
    );
    expect(codeOf(ended)).toBe('UNAUTHENTICATED');
    const { rows } = await h.db.query(
      `SELECT revoked_reason FROM sessions WHERE user_id = (SELECT id FROM users WHERE email = $1)`,
      ['bob.ldap@acme.test'],
    );
    expect(rows).toEqual([{ revoked_reason: 'provider-removed' }]);
    const access = await h.gql(`{ viewer { id } }`, {}, { token: signIn.accessToken });
    expect(codeOf(access)).toBe('UNAUTHENTICATED');
  });
});
