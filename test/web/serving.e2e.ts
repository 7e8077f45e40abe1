import { readdirSync } from 'node:fs';
import { Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => (h = await Harness.start()));
afterAll(() => h.stop());

describe('the API serves the built web app', () => {
  it('answers / and deep links with index.html, never cached, under a CSP without inline script', async () => {
    for (const path of [
      '/',
      '/groups/finance',
      '/people/camille?tab=wall',
      '/people/camille.martin',
    ]) {
      const res = await fetch(`${h.url}${path}`, { headers: { accept: 'text/html' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(await res.text()).toContain('<div id="root">');
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
    }
  });

  it('caches hashed assets for a year', async () => {
    const asset = readdirSync('dist/web/assets').find((f) => f.endsWith('.js'));
    const res = await fetch(`${h.url}/assets/${asset}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('sends the Brotli or gzip copy of an asset to a browser that takes it', async () => {
    const asset = readdirSync('dist/web/assets').find((f) => f.endsWith('.js'))!;
    const plain = await (
      await fetch(`${h.url}/assets/${asset}`, { headers: { 'accept-encoding': 'identity' } })
    ).text();
    for (const encoding of ['br', 'gzip']) {
      // fetch decodes what it is sent: the text must be the same script.
      const res = await fetch(`${h.url}/assets/${asset}`, {
        headers: { 'accept-encoding': encoding },
      });
      expect(res.headers.get('content-encoding')).toBe(encoding);
      expect(res.headers.get('content-type')).toMatch(/javascript/);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(await res.text()).toBe(plain);
    }
  });

  it('serves an installable manifest whose icons exist', async () => {
    const manifest = (await (await fetch(`${h.url}/manifest.webmanifest`)).json()) as {
      display: string;
      icons: { src: string; sizes: string }[];
    };
    expect(manifest.display).toBe('standalone');
    expect(manifest.icons.map((i) => i.sizes)).toEqual(
      expect.arrayContaining(['192x192', '512x512']),
    );
    for (const icon of manifest.icons)
      expect([icon.src, (await fetch(`${h.url}${icon.src}`)).status]).toEqual([icon.src, 200]);
  });

  it('leaves the API paths and missing files to the API', async () => {
    expect((await fetch(`${h.url}/health/live`)).status).toBe(200);
    expect((await fetch(`${h.url}/assets/nothing-here.js`)).status).toBe(404);
    const gql = await fetch(`${h.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(gql.headers.get('content-type') ?? '').not.toContain('text/html');
  });
});
