// Lighthouse (the npm CLI) on Debian's chromium, against the API serving dist/web: the sign-in
// page signed out, then the home feed signed in (the session is the refresh cookie, set by
// signing in through the page in the same browser profile Lighthouse then opens its tab in).
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { launch as launchChrome, type LaunchedChrome } from 'chrome-launcher';
import { chromium } from 'playwright-core';
import { PASSWORD } from '../support/builders.js';
import { Harness } from '../support/harness.js';
import { SCREENSHOTS } from './browser.js';
import { someone, type Someone } from '../support/people.js';

const run = promisify(execFile);
const LIGHTHOUSE = 'node_modules/lighthouse/cli/index.js';
/** Desktop preset: the mobile preset's simulated 4× CPU slow-down is not this shared 2-core box's. */
const PRESET = process.env.LIGHTHOUSE_PRESET ?? 'desktop';
const MIN = { performance: 0.9, accessibility: 0.95, 'best-practices': 0.95 } as const;
type Category = keyof typeof MIN;

interface Report {
  finalDisplayedUrl: string;
  categories: Record<Category, { score: number; auditRefs: { id: string; weight: number }[] }>;
  audits: Record<string, { score: number | null; title: string; displayValue?: string }>;
}

let h: Harness;
let chrome: LaunchedChrome;
let member: Someone;
let dir: string;

const FOLLOW = `mutation($u: ID!) { follow(userId: $u) { id } }`;
const CREATE_POST = `mutation($input: CreatePostInput!) { createPost(input: $input) { id } }`;
const FEED = `{ homeFeed(first: 50) { edges { node { id } } } }`;

beforeAll(async () => {
  h = await Harness.start({ worker: true });
  dir = mkdtempSync(join(tmpdir(), 'ruche-lighthouse-'));
  mkdirSync(join(dir, 'profile'));
  chrome = await launchChrome({
    chromePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-dev-shm-usage'],
    userDataDir: join(dir, 'profile'),
  });
  // A member following three colleagues who posted 20 times between them.
  member = await someone(h, 'MEMBER', 'ACTIVE', 'Camille Martin');
  const colleagues = await Promise.all(
    ['Élodie Lefèvre', 'Marc Durand', 'Sofia Rossi'].map((n) => someone(h, 'MEMBER', 'ACTIVE', n)),
  );
  for (const c of colleagues) await h.ok(FOLLOW, { u: c.id }, member.token);
  for (let i = 0; i < 20; i++)
    await h.ok(
      CREATE_POST,
      {
        input: {
          body: `Update ${i + 1} from the **team**: the quarterly figures are in, see #finance and the notes attached to the last review.`,
          audience: { kind: i % 2 ? 'FOLLOWERS' : 'NETWORK' },
        },
      },
      colleagues[i % 3].token,
    );
  // The fan-out is the worker's: wait until the 20 posts are in the member's feed.
  const end = Date.now() + 20_000;
  while ((await h.ok(FEED, {}, member.token)).homeFeed.edges.length < 20) {
    if (Date.now() > end) throw new Error('the home feed never filled');
    await new Promise((r) => setTimeout(r, 100));
  }
}, 120_000);
afterAll(async () => {
  chrome?.kill();
  await h?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function lighthouse(path: string, name: string): Promise<Record<Category, number>> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const out = join(SCREENSHOTS, `lighthouse.${name}.${PRESET}.json`);
  const args = [
    LIGHTHOUSE,
    `${h.url}${path}`,
    `--port=${chrome.port}`,
    '--hostname=127.0.0.1',
    ...(PRESET === 'desktop' ? ['--preset=desktop'] : []),
    '--only-categories=performance,accessibility,best-practices',
    // Keeps the session cookie that signing in set.
    '--disable-storage-reset',
    '--output=json',
    `--output-path=${out}`,
    '--quiet',
  ];
  // Lighthouse's trace is sometimes lost on this loaded box (NO_NAVSTART): run it again.
  for (let attempt = 1; ; attempt++) {
    try {
      await run(process.execPath, args, { timeout: 150_000 });
      break;
    } catch (e) {
      if (attempt === 3 || !String(e).includes('Runtime error')) throw e;
      console.warn(`Lighthouse ${path}, attempt ${attempt}: ${String(e).split('\n').at(-2)}`);
    }
  }
  const report = JSON.parse(readFileSync(out, 'utf8')) as Report;
  // Scored the page asked for, not the one a lost session redirects to.
  expect(new URL(report.finalDisplayedUrl).pathname).toBe(path);
  const scores = Object.fromEntries(
    (Object.keys(MIN) as Category[]).map((c) => [c, Math.round(report.categories[c].score * 100)]),
  ) as Record<Category, number>;
  const failing = (Object.keys(MIN) as Category[]).flatMap((c) =>
    report.categories[c].auditRefs
      .filter((r) => r.weight > 0 && (report.audits[r.id].score ?? 1) < 0.9)
      .map(
        (r) =>
          `${c}/${r.id}: ${report.audits[r.id].title} ${report.audits[r.id].displayValue ?? ''}`,
      ),
  );
  console.log(
    `Lighthouse ${PRESET} ${path}: ${JSON.stringify(scores)}` +
      (failing.length ? `\n  ${failing.join('\n  ')}` : ''),
  );
  return scores;
}

/**
 * Performance is a timing: the suite runs two test files at once on two cores, so it is reported
 * here and asserted only when measured alone (LIGHTHOUSE_STRICT=1, the figures in the notes).
 * Accessibility and best practices do not depend on the machine: always asserted.
 */
function expectPerformance(scores: Record<Category, number>): void {
  if (process.env.LIGHTHOUSE_STRICT === '1')
    expect(scores.performance).toBeGreaterThanOrEqual(MIN.performance * 100);
  else expect(scores.performance).toBeGreaterThan(0);
}

describe('Lighthouse', () => {
  it(`scores the sign-in page (${PRESET})`, async () => {
    const scores = await lighthouse('/sign-in', 'sign-in');
    expect(scores.accessibility).toBeGreaterThanOrEqual(MIN.accessibility * 100);
    expect(scores['best-practices']).toBeGreaterThanOrEqual(MIN['best-practices'] * 100);
    expectPerformance(scores);
  }, 180_000);

  it(`scores the home feed signed in (${PRESET})`, async () => {
    const email = (await h.ok('{ viewer { email } }', {}, member.token)).viewer.email as string;
    const browser = await chromium.connectOverCDP(`http://127.0.0.1:${chrome.port}`);
    const context = browser.contexts()[0];
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${h.url}/sign-in`);
    await page.getByLabel('Work email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
    await page.close();
    await browser.close();

    const scores = await lighthouse('/', 'home');
    expect(scores.accessibility).toBeGreaterThanOrEqual(MIN.accessibility * 100);
    expect(scores['best-practices']).toBeGreaterThanOrEqual(MIN['best-practices'] * 100);
    expectPerformance(scores);
  }, 180_000);
});
