/** Set by test/global-setup.ts (from TEST_PG_URL, TEST_REDIS_URL or the machine's defaults). */
const need = (name: string) => {
  const value = process.env[name];
  if (!value)
    throw new Error(
      `${name} is not set: run the tests through jest (test/global-setup.ts sets it)`,
    );
  return value;
};

export const PG_ADMIN_URL = need('TEST_PG_URL');
export const REDIS_URL = need('TEST_REDIS_URL');
export const TEMPLATE_DB = need('TEST_TEMPLATE_DB');

export function databaseUrl(name: string): string {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}
