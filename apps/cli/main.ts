import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { NestFactory } from '@nestjs/core';
import { GraphQLError } from 'graphql';
import { ConfigError, loadConfig, type AppConfig } from '@ruche/config';
import { migrate } from '@ruche/database';
import { ErasureService } from '@ruche/data-rights';
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

async function createAdmin(config: AppConfig, argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { email: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' } },
  });
  if (!values.email || !values.password || !values.name)
    fail('create-admin needs --email, --password and --name');
  await ready(config);
  const app = await NestFactory.createApplicationContext(CliModule.forRoot(config), {
    logger: ['error'],
  });
  try {
    const user = await app
      .get(AccountsService)
      .createAdmin(values.email, values.password, values.name);
    process.stdout.write(`ruche: administrator ${user.email} created (handle @${user.handle})\n`);
  } catch (e) {
    if (e instanceof GraphQLError) {
      const field = e.extensions.field;
      fail(`${typeof field === 'string' ? `${field}: ` : ''}${e.message}`);
    }
    throw e;
  } finally {
    await app.close();
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
  default:
    process.stdout.write(`${USAGE}\n`);
    process.exit(command ? 1 : 0);
}
