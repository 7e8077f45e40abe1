import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Ajv from 'ajv';
import { parse, parseAllDocuments } from 'yaml';
import { createWorker } from '../apps/worker/worker.js';
import { Harness } from './support/harness.js';

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');
const run = promisify(execFile);

/** The variables config/example.env documents (set or commented out). */
const documented = new Set(
  [...read('config/example.env').matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]),
);

type Service = Record<string, any>;

describe('docker/docker-compose.yml', () => {
  const compose = parse(read('docker/docker-compose.yml'), { merge: true }) as {
    services: Record<string, Service>;
  };

  it('validates against the Compose Specification (docker/compose-spec.json)', () => {
    const schema = JSON.parse(read('docker/compose-spec.json'));
    delete schema.$schema; // draft-07, which ajv knows under its http:// name
    const ajv = new Ajv({ allErrors: true });
    const valid = ajv.validate(schema, compose);
    expect(ajv.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('health-checks every long-running service; migrate runs to completion before api and worker', () => {
    const { migrate, ...running } = compose.services;
    for (const [name, service] of Object.entries(running))
      expect([name, Array.isArray(service.healthcheck?.test)]).toEqual([name, true]);
    expect(migrate.command).toEqual(['migrate']);
    for (const name of ['api', 'worker'])
      expect(compose.services[name].depends_on.migrate.condition).toBe(
        'service_completed_successfully',
      );
  });

  it('runs api, worker and migrate from one image, sharing the uploads volume', () => {
    const [api, worker, migrate] = ['api', 'worker', 'migrate'].map((n) => compose.services[n]);
    expect(worker.image).toBe(api.image);
    expect(migrate.image).toBe(api.image);
    expect(worker.build).toEqual(api.build);
    expect(api.volumes).toContain('uploads:/data/uploads');
    expect(worker.volumes).toContain('uploads:/data/uploads');
    expect(compose.services.redis.command).toContain('--appendonly');
  });

  it('sets only variables that config/example.env documents', () => {
    const keys = Object.keys(compose.services.api.environment as object);
    expect(keys.filter((k) => !documented.has(k))).toEqual([]);
  });
});

describe('docker/k8s/ruche.yaml', () => {
  const docs = parseAllDocuments(read('docker/k8s/ruche.yaml')).map((d) => d.toJS() as Service);
  const find = (kind: string, name: string) =>
    docs.find((d) => d.kind === kind && d.metadata.name === name)!;
  const container = (d: Service) => d.spec.template.spec.containers[0];

  it('parses, and names the probes: readiness /health/ready and liveness /health/live for the API', () => {
    const api = container(find('Deployment', 'ruche-api'));
    expect(api.readinessProbe.httpGet.path).toBe('/health/ready');
    expect(api.livenessProbe.httpGet.path).toBe('/health/live');
    const worker = container(find('Deployment', 'ruche-worker'));
    expect(worker.livenessProbe.exec.command).toEqual(['node', 'bin/ruche.js', 'health', 'worker']);
  });

  it('migrates in a Job, runs N api and M worker replicas from one image, each under a PodDisruptionBudget', () => {
    const job = find('Job', 'ruche-migrate');
    expect(container(job).args).toEqual(['migrate']);
    const images = new Set(
      [job, find('Deployment', 'ruche-api'), find('Deployment', 'ruche-worker')].map(
        (d) => container(d).image,
      ),
    );
    expect(images.size).toBe(1);
    for (const name of ['ruche-api', 'ruche-worker']) {
      const deployment = find('Deployment', name);
      expect(deployment.spec.replicas).toBeGreaterThan(1);
      expect(find('PodDisruptionBudget', name).spec.selector.matchLabels).toEqual(
        deployment.spec.selector.matchLabels,
      );
    }
  });

  it('sets only documented variables', () => {
    const data = Object.keys(find('ConfigMap', 'ruche-config').data as object);
    expect(data.filter((k) => !documented.has(k))).toEqual([]);
  });
});

describe('docker/Dockerfile', () => {
  const dockerfile = read('docker/Dockerfile');
  it('builds in stages, installs production dependencies only, runs as a non-root user with a health check', () => {
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(3);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    const final = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(final).toMatch(/^USER node$/m);
    expect(final).toMatch(/COPY --from=build \/app\/dist \.\/dist/); // dist/web: the app's assets
    expect(final).toMatch(/^HEALTHCHECK .*\n\s+CMD \["node", "bin\/ruche.js", "health", "api"\]/m);
    expect(final).toMatch(/^ENTRYPOINT \["node", "bin\/ruche.js"\]$/m);
  });
});

describe('ruche health (the image health check)', () => {
  let h: Harness;
  const dir = mkdtempSync(join(tmpdir(), 'ruche-health-'));
  const heartbeat = join(dir, 'worker.alive');
  beforeAll(async () => (h = await Harness.start({ env: { WORKER_HEARTBEAT_FILE: heartbeat } })));
  afterAll(() => h.stop());

  const health = (what: string, env: Record<string, string>) =>
    run(process.execPath, ['bin/ruche.js', 'health', what], {
      env: { PATH: process.env.PATH, DATABASE_URL: h.config.DATABASE_URL, ...env },
    }).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
    );

  it('api: healthy while the API answers /health/ready, unhealthy on a port nothing listens on', async () => {
    const port = new URL(h.url).port;
    expect(await health('api', { PORT: port })).toEqual({ code: 0, stderr: '' });
    const down = await health('api', { PORT: '1' });
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/does not answer on port 1/);
  });

  it('worker: healthy while its heartbeat is fresh, unhealthy once it is 30 s old', async () => {
    expect((await health('worker', { WORKER_HEARTBEAT_FILE: heartbeat })).code).toBe(1);
    const worker = await createWorker(h.config);
    try {
      for (let i = 0; i < 100 && !existsSync(heartbeat); i++)
        await new Promise((r) => setTimeout(r, 100));
      expect(await health('worker', { WORKER_HEARTBEAT_FILE: heartbeat })).toEqual({
        code: 0,
        stderr: '',
      });
    } finally {
      await worker.close();
    }
    const old = new Date(Date.now() - 60_000);
    utimesSync(heartbeat, old, old);
    const stale = await health('worker', { WORKER_HEARTBEAT_FILE: heartbeat });
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/heartbeat is \d+ s old/);
  });
});

describe('the environment variables', () => {
  it('config/example.env documents every setting of AppConfig', () => {
    const settings = [
      ...read('libs/config/app-config.ts').matchAll(/^ {2}([A-Z][A-Z0-9_]+)[?!]?(?: =|:)/gm),
    ].map((m) => m[1]);
    expect(settings.length).toBeGreaterThan(20);
    expect(settings.filter((s) => !documented.has(s))).toEqual([]);
  });

  it("README's table is the one rendered from config/example.env (node config/env-table.mjs --write)", async () => {
    const { renderedReadme, variables } = await import('../config/env-table.mjs');
    expect(read('README.md')).toBe(renderedReadme());
    expect(variables().map((v) => v.name)).toEqual([...documented]);
  });
});
