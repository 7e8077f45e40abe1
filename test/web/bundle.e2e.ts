// The first page's JavaScript stays within the budget (run after `npm run build:web`).
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const BUDGET = 250 * 1024;
const dist = 'dist/web';

/** The entry script and the modules index.html preloads: what every first visit downloads. */
function firstPageScripts(html: string): string[] {
  const entry = [...html.matchAll(/<script\b[^>]*type="module"[^>]*\bsrc="([^"]+)"/g)];
  const preloads = [...html.matchAll(/<link\b[^>]*rel="modulepreload"[^>]*\bhref="([^"]+)"/g)];
  return [...new Set([...entry, ...preloads].map((m) => m[1]))];
}

describe('the web app bundle', () => {
  const html = readFileSync(`${dist}/index.html`, 'utf8');
  const scripts = firstPageScripts(html);

  it('loads one entry script', () => {
    expect(scripts.length).toBeGreaterThanOrEqual(1);
    expect(html).toMatch(/<script\b[^>]*type="module"[^>]*src="\/assets\/[^"]+\.js"/);
  });

  it(`keeps the first page's JavaScript within ${BUDGET / 1024} kB gzipped`, () => {
    const sizes = scripts.map((src) => ({
      src,
      gzip: gzipSync(readFileSync(`${dist}${src}`), { level: 9 }).length,
    }));
    const total = sizes.reduce((sum, s) => sum + s.gzip, 0);
    console.log(
      `first page JavaScript: ${(total / 1024).toFixed(1)} kB gzipped (budget ${BUDGET / 1024} kB)\n` +
        sizes.map((s) => `  ${s.src} ${(s.gzip / 1024).toFixed(1)} kB`).join('\n'),
    );
    expect(total).toBeLessThanOrEqual(BUDGET);
  });

  it('keeps the subscriptions transport, the menus and the Markdown tools out of the entry', () => {
    const code = scripts.map((src) => readFileSync(`${dist}${src}`, 'utf8')).join('\n');
    // Strings that survive minification: graphql-ws's protocol, Radix menu's attribute,
    // DOMPurify's and marked's messages.
    expect(code).not.toContain('graphql-transport-ws');
    expect(code).not.toContain('data-radix-menu-content');
    expect(code).not.toContain('DOMPurify: USE_PROFILES');
    expect(code).not.toContain('marked(): input parameter');
  });
});
