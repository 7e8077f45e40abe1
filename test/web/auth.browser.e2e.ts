import type { Browser } from 'playwright-core';
import { allowDomains, makeAdmin, makeMember } from '../support/builders.js';
import { Harness } from '../support/harness.js';
import { launch, person, screenshots, seriousViolations, signInAs } from './browser.js';

let h: Harness;
let browser: Browser;
beforeAll(async () => {
  h = await Harness.start({ worker: true });
  browser = await launch();
  await allowDomains(h, await makeAdmin(h));
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await h?.stop();
});

describe('the web session', () => {
  it('keeps the refresh token in an httpOnly cookie, survives a reload, and signs out', async () => {
    const member = await makeMember(h, { displayName: 'Camille Martin' });
    const { context, page } = await person(browser, h);
    await signInAs(page, member.email);
    const cookies = await context.cookies();
    const refresh = cookies.find((c) => c.name === 'ruche_refresh');
    expect(refresh).toMatchObject({
      httpOnly: true,
      secure: true,
      sameSite: 'Strict',
      path: '/graphql',
    });
    // Nothing of the session is readable by the page's scripts.
    const readable = await page.evaluate('document.cookie + JSON.stringify(localStorage)');
    expect(readable).not.toContain(refresh!.value);
    await page.reload();
    await page.getByRole('button', { name: 'Your account' }).waitFor();
    await page.getByRole('button', { name: 'Your account' }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in/);
    await page.reload();
    await page.waitForURL(/\/sign-in/);
    await context.close();
  });

  it('refuses a cookie-session request from another origin', async () => {
    const res = await fetch(`${h.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-ruche-session': 'cookie',
        origin: 'https://evil.example',
      },
      body: JSON.stringify({
        query: 'mutation { refreshSession(refreshToken: "") { accessToken } }',
      }),
    });
    const body = (await res.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it('draws the sign-in page in both languages, without serious accessibility violations', async () => {
    for (const locale of ['en', 'fr'] as const) {
      const { context, page } = await person(browser, h, { locale });
      await page.goto('/sign-in');
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
        locale === 'fr' ? 'Connexion' : 'Sign in',
      );
      expect(await seriousViolations(page)).toEqual([]);
      await screenshots(page, `sign-in.${locale}`);
      await context.close();
    }
  });
});
