import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { GraphQLError } from 'graphql';
import { ConfigError, loadConfig, type AppConfig } from '@ruche/config';
import { migrate } from '@ruche/database';
import { ErasureService } from '@ruche/data-rights';
import { AuditService } from '@ruche/audit';
import { GroupsService } from '@ruche/groups';
import { AccountsService } from '@ruche/identity';
import { CliModule } from './cli.module.js';
import { doctor, report } from './doctor.js';
import { preflight } from './preflight.js';

const USAGE = `Usage: ruche <command>
  start                     apply migrations, then run the API and a worker (npm start)
  api | worker              run one process (production: as many of each as you like)
  migrate                   apply pending migrations
  create-admin --email E --password P --name N
                            create a network administrator (works before any user exists)
  erase-user --email E [--posts remove|keep]
                            GDPR erasure of an account: personal data removed everywhere, its
                            posts removed or kept as "Former member" (default: network setting)
  reset-password --email E [--password P]
                            print a one-time reset link (or set the password); ends every session
  suspend --email E [--until ISO] [--reason R]
                            suspend an account and end its sessions (until and reason are kept in
                            the audit log; lift it with unsuspend)
  unsuspend --email E       reactivate a suspended account
  archive-group --slug S    make a group read-only, whoever may see it
  hand-over-group --slug S --to EMAIL
                            make that person an ACTIVE OWNER of the group, whoever may see it
  audit-verify              walk the audit log's hash chain; exit 1 and name the first broken row
                            (every command above is recorded in the audit log as the operator)
  health api | worker       the container health check: exit 0 when that process is healthy
  doctor                    check configuration, database and migrations, Redis and queues,
                            SMTP, storage and push keys; print what is wrong with its fix`;

function fail(message: string): never {
  process.stderr.write(`ruche: ${message}\n`);
  process.exit(1);
}

async function ready(config: AppConfig): Promise<void> {
  const problems = await preflight(config);
  if (problems.length) fail(problems.join('\nruche: '));
  const applied = await migrate(config.DATABASE_URL);
  if (applied.length) process.stdout.write(`ruche: applied migrations ${applied.join(', ')}\n`);
}

function run(app: 'api' | 'worker'): ChildProcess {
  const entry = fileURLToPath(new URL(`../${app}/main.js`, import.meta.url));
  const heap = `--max-old-space-size=${config.HEAP_MB}`;
  return spawn(process.execPath, ['--enable-source-maps', heap, entry], {
    stdio: 'inherit',
    env: process.env,
  });
}

async function start(config: AppConfig): Promise<void> {
  await ready(config);
  const children = [run('api'), ...(config.START_WORKER === 'true' ? [run('worker')] : [])];
  let stopping = false;
  const stop = (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const child of children) child.kill('SIGTERM');
    setTimeout(() => process.exit(code), 10_000).unref();
    void Promise.all(
      children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))),
    ).then(() => process.exit(code));
  };
  for (const child of children) child.once('exit', (code) => stop(code ?? 1));
  process.once('SIGINT', () => stop(0));
  process.once('SIGTERM', () => stop(0));
  process.stdout.write(
    `ruche: the app on ${config.PUBLIC_URL}/, the API on ${config.PUBLIC_URL}/graphql (port ${config.PORT})\n`,
  );
}

/** Runs `work` with the server-side services; an input error is one line on stderr, exit 1. */
async function withServices(
  config: AppConfig,
  work: (app: INestApplicationContext) => Promise<void>,
): Promise<void> {
  await ready(config);
  const app = await NestFactory.createApplicationContext(CliModule.forRoot(config), {
    logger: ['error'],
  });
  try {
    await work(app);
  } catch (e) {
    if (e instanceof GraphQLError) {
      const field = e.extensions.field;
      await app.close();
      fail(`${typeof field === 'string' ? `${field}: ` : ''}${e.message}`);
    }
    throw e;
  }
  await app.close();
}

const say = (line: string) => process.stdout.write(`ruche: ${line}\n`);

function options<K extends string>(command: string, argv: string[], names: K[], needed: K[]) {
  let values: Partial<Record<K, string>>;
  try {
    values = parseArgs({
      args: argv,
      options: Object.fromEntries(names.map((n) => [n, { type: 'string' as const }])),
    }).values as Partial<Record<K, string>>;
  } catch (e) {
    fail(`${command}: ${(e as Error).message}`);
  }
  const missing = needed.filter((n) => !values[n]);
  if (missing.length) fail(`${command} needs ${missing.map((m) => `--${m}`).join(' and ')}`);
  return values;
}

async function createAdmin(config: AppConfig, argv: string[]): Promise<void> {
  const values = options(
    'create-admin',
    argv,
    ['email', 'password', 'name'],
    ['email', 'password', 'name'],
  );
  await withServices(config, async (app) => {
    const user = await app
      .get(AccountsService)
      .createAdmin(values.email!, values.password!, values.name!);
    say(`administrator ${user.email} created (handle @${user.handle})`);
  });
}

async function operator(config: AppConfig, command: string, argv: string[]): Promise<void> {
  switch (command) {
    case 'reset-password': {
      const v = options(command, argv, ['email', 'password'], ['email']);
      await withServices(config, async (app) => {
        const { user, token } = await app
          .get(AccountsService)
          .operatorResetPassword(v.email!, v.password);
        if (token) {
          const link = `${config.PUBLIC_URL.replace(/\/$/, '')}/reset-password?token=${encodeURIComponent(token)}`;
          say(`one-time reset link for ${user.email} (valid 1 hour): ${link}`);
        } else say(`password of ${user.email} set`);
        say(`every session of ${user.email} has ended`);
      });
      return;
    }
    case 'suspend': {
      const v = options(command, argv, ['email', 'until', 'reason'], ['email']);
      if (v.until !== undefined && Number.isNaN(Date.parse(v.until)))
        fail('suspend: --until must be an ISO 8601 date');
      await withServices(config, async (app) => {
        const user = await app.get(AccountsService).operatorSuspend(v.email!, {
          until: v.until ? new Date(v.until).toISOString() : undefined,
          reason: v.reason,
        });
        say(`${user.email} suspended; every session has ended`);
      });
      return;
    }
    case 'unsuspend': {
      const v = options(command, argv, ['email'], ['email']);
      await withServices(config, async (app) => {
        const user = await app.get(AccountsService).operatorUnsuspend(v.email!);
        say(`${user.email} is active again`);
      });
      return;
    }
    case 'archive-group': {
      const v = options(command, argv, ['slug'], ['slug']);
      await withServices(config, async (app) => {
        const done = await app.get(GroupsService).operatorArchive(v.slug!);
        say(done ? `group ${v.slug} archived (read-only)` : `group ${v.slug} was already archived`);
      });
      return;
    }
    case 'hand-over-group': {
      const v = options(command, argv, ['slug', 'to'], ['slug', 'to']);
      await withServices(config, async (app) => {
        const userId = await app.get(AccountsService).idOfEmail(v.to!);
        await app.get(GroupsService).operatorHandOver(v.slug!, userId);
        say(`${v.to} is now an owner of group ${v.slug}`);
      });
      return;
    }
    case 'audit-verify': {
      let broken = false;
      await withServices(config, async (app) => {
        const audit = app.get(AuditService);
        const check = await audit.verify();
        await audit.record({
          action: 'operator.audit-verify',
          actorId: null,
          details: { command, operator: true, ok: check.ok, firstBrokenId: check.firstBrokenId },
        });
        if (check.ok) say(`audit log intact: ${check.checked} events chained`);
        else {
          broken = true;
          process.stderr.write(
            `ruche: audit log BROKEN at event ${check.firstBrokenId}: ${check.reason} (${check.checked} events before it are intact)\n`,
          );
        }
      });
      if (broken) process.exit(2);
      return;
    }
  }
}

async function eraseUser(config: AppConfig, argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { email: { type: 'string' }, posts: { type: 'string' } },
  });
  if (!values.email) fail('erase-user needs --email');
  if (values.posts !== undefined && values.posts !== 'remove' && values.posts !== 'keep')
    fail('--posts is remove or keep');
  const posts =
    values.posts === 'remove'
      ? ('REMOVE' as const)
      : values.posts === 'keep'
        ? ('KEEP_AS_FORMER_MEMBER' as const)
        : undefined;
  await ready(config);
  const app = await NestFactory.createApplicationContext(CliModule.forRoot(config), {
    logger: ['error'],
  });
  try {
    const r = await app.get(ErasureService).eraseByEmail(values.email, posts);
    process.stdout.write(
      `ruche: account ${r.userId} erased (posts: ${r.posts})${r.cleanedUp ? '' : '; Redis and file cleanup left to the worker'}\n`,
    );
  } catch (e) {
    if (e instanceof GraphQLError) fail(e.message);
    throw e;
  } finally {
    await app.close();
  }
}

const [command, ...rest] = process.argv.slice(2);
let config: AppConfig;
try {
  config = loadConfig();
} catch (e) {
  if (e instanceof ConfigError && command === 'doctor') {
    const problems = e.problems.map((line) => ({
      check: 'configuration',
      problem: line,
      fix: 'set it as config/example.env documents',
    }));
    process.stdout.write(`${report(problems)}\n`);
    process.exit(1);
  }
  if (e instanceof ConfigError) fail(e.message);
  throw e;
}

switch (command) {
  case 'start':
    await start(config);
    break;
  case 'api':
  case 'worker':
    run(command).once('exit', (code) => process.exit(code ?? 1));
    break;
  case 'migrate':
    await ready(config);
    break;
  case 'doctor': {
    const findings = await doctor(config);
    process.stdout.write(`${report(findings)}\n`);
    process.exit(findings.some((f) => f.problem) ? 1 : 0);
    break;
  }
  case 'create-admin':
    await createAdmin(config, rest);
    process.exit(0);
    break;
  case 'erase-user':
    await eraseUser(config, rest);
    process.exit(0);
    break;
  case 'reset-password':
  case 'suspend':
  case 'unsuspend':
  case 'archive-group':
  case 'hand-over-group':
  case 'audit-verify':
    await operator(config, command, rest);
    process.exit(0);
    break;
  default:
    process.stdout.write(`${USAGE}\n`);
    process.exit(command ? 1 : 0);
}
