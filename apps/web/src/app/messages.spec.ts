// Every message the web app shows exists in French and English: English is each message's
// defaultMessage (extracted by the formatjs CLI), French the features' fr.json catalogues.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const root = new URL('../../../../', import.meta.url).pathname;

function extracted(): Record<string, { defaultMessage: string }> {
  const out = execFileSync(
    'node_modules/.bin/formatjs',
    ['extract', 'apps/web/src/**/*.{ts,tsx}', '--ignore', 'apps/web/src/gql/**', '--throws'],
    { cwd: root, encoding: 'utf8' },
  );
  return JSON.parse(out) as Record<string, { defaultMessage: string }>;
}

function french(): Record<string, string> {
  const src = `${root}apps/web/src/`;
  const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) =>
    f.endsWith('fr.json'),
  );
  return Object.assign(
    {},
    ...files.map((f) => JSON.parse(readFileSync(src + f, 'utf8')) as object),
  ) as Record<string, string>;
}

const placeholders = (m: string) => [...m.matchAll(/\{(\w+)/g)].map((x) => x[1]).sort();

describe('the web app messages', () => {
  const en = extracted();
  const fr = french();
  it('are many (the extraction found the app)', () => {
    expect(Object.keys(en).length).toBeGreaterThan(20);
  });
  it('each have a French translation', () => {
    expect(Object.keys(en).filter((id) => !(id in fr))).toEqual([]);
  });
  it('leave no French translation without its message', () => {
    expect(Object.keys(fr).filter((id) => !(id in en))).toEqual([]);
  });
  it('keep the same placeholders in both languages', () => {
    const differ = Object.keys(en).filter(
      (id) =>
        id in fr && placeholders(en[id].defaultMessage).join() !== placeholders(fr[id]).join(),
    );
    expect(differ).toEqual([]);
  });
});
