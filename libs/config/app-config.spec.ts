import { ConfigError, loadConfig } from './app-config.js';

describe('loadConfig', () => {
  it('gives working defaults on a developer machine', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/ruche');
    expect(config.REDIS_PREFIX).toBe('ruche');
  });

  it('reads numbers from strings', () => {
    expect(loadConfig({ PORT: '8080' }).PORT).toBe(8080);
  });

  it('names every bad variable on its own line, hiding secrets', () => {
    try {
      loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://secret@x/y', REDIS_URL: 'nope' });
      throw new Error('expected a ConfigError');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const problems = (e as ConfigError).problems;
      expect(problems).toHaveLength(3);
      expect(problems.find((p) => p.startsWith('PORT='))).toContain('must be an integer');
      expect(problems.find((p) => p.startsWith('DATABASE_URL='))).toContain('(hidden)');
      expect(problems.join('\n')).not.toContain('secret@');
    }
  });

  it('refuses a short METRICS_TOKEN without printing it', () => {
    expect(() => loadConfig({ METRICS_TOKEN: 'short-tok' })).toThrow(
      /METRICS_TOKEN=\(hidden\).*at least 16 characters/,
    );
    expect(loadConfig({ METRICS_TOKEN: 'a-long-metrics-token' }).METRICS_TOKEN).toBe(
      'a-long-metrics-token',
    );
  });
});

describe('storage settings', () => {
  it('keeps uploads on the local disk, 25 MiB at most, of a sane list of types', () => {
    const config = loadConfig({});
    expect(config.STORAGE_DRIVER).toBe('local');
    expect(config.STORAGE_DIR).toBe('var/uploads');
    expect(config.UPLOAD_MAX_BYTES).toBe(25 * 1024 * 1024);
    expect(config.UPLOAD_ALLOWED_TYPES).toEqual(
      expect.arrayContaining(['image/png', 'application/pdf', 'text/csv', 'application/zip']),
    );
  });

  it('reads the allowed types as a comma-separated list', () => {
    expect(
      loadConfig({ UPLOAD_ALLOWED_TYPES: ' Image/PNG, text/plain ' }).UPLOAD_ALLOWED_TYPES,
    ).toEqual(['image/png', 'text/plain']);
  });

  it('refuses S3 with a clear line (not implemented yet)', () => {
    expect(() => loadConfig({ STORAGE_DRIVER: 's3' })).toThrow(
      /STORAGE_DRIVER="s3": only "local" is available/,
    );
  });

  it.each([
    ['UPLOAD_MAX_BYTES', '0'],
    ['UPLOAD_ALLOWED_TYPES', 'png,pdf'],
  ])('refuses %s=%s', (key, value) => {
    expect(() => loadConfig({ [key]: value })).toThrow(new RegExp(`${key}=`));
  });
});

describe('GraphQL settings', () => {
  it('allows introspection and 10,000 tokens by default', () => {
    const config = loadConfig({});
    expect(config.GRAPHQL_INTROSPECTION).toBe('true');
    expect(config.GRAPHQL_MAX_TOKENS).toBe(10000);
  });

  it('reads GRAPHQL_INTROSPECTION as true or false, nothing else', () => {
    expect(loadConfig({ GRAPHQL_INTROSPECTION: 'false' }).GRAPHQL_INTROSPECTION).toBe('false');
    expect(() => loadConfig({ GRAPHQL_INTROSPECTION: 'no' })).toThrow(/GRAPHQL_INTROSPECTION="no"/);
  });
});

describe('single sign-on settings', () => {
  it('is off by default, with claim and attribute defaults', () => {
    const config = loadConfig({});
    expect(config.OIDC_ISSUER_URL).toBeUndefined();
    expect(config.LDAP_URL).toBeUndefined();
    expect(config.OIDC_SCOPES).toBe('openid email profile');
    expect(config.LDAP_SEARCH_FILTER).toBe('(mail={{email}})');
    expect(config.SSO_RECHECK_MINUTES).toBe(10);
  });

  it.each([
    [{ OIDC_ISSUER_URL: 'https://idp.example' }, /OIDC_CLIENT_ID=\(missing\)/],
    [{ LDAP_URL: 'ldap://dc1' }, /LDAP_SEARCH_BASE=\(missing\)/],
    [{ LDAP_SEARCH_FILTER: '(uid=x)' }, /LDAP_SEARCH_FILTER=.*\{\{email\}\}/],
    [{ OIDC_GROUP_MAP: 'Finance' }, /OIDC_GROUP_MAP=/],
    [{ OIDC_SCOPES: 'email' }, /OIDC_SCOPES=/],
    [{ LDAP_URL: 'http://dc1', LDAP_SEARCH_BASE: 'dc=x' }, /LDAP_URL=/],
  ])('refuses %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('hides the client secret and the bind password', () => {
    expect(() =>
      loadConfig({ LDAP_URL: 'ldap://dc1', LDAP_SEARCH_BASE: 'dc=x', LDAP_BIND_DN: 'cn=svc' }),
    ).toThrow(/LDAP_BIND_PASSWORD=\(missing\)/);
  });
});
