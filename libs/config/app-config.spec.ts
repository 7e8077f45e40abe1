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

  it('takes S3 with its bucket, and names what is missing or wrong', () => {
    const s3 = loadConfig({
      STORAGE_DRIVER: 's3',
      S3_BUCKET: 'ruche-uploads',
      S3_ENDPOINT: 'http://127.0.0.1:9000',
      S3_FORCE_PATH_STYLE: 'true',
      S3_ACCESS_KEY_ID: 'minio',
      S3_SECRET_ACCESS_KEY: 'minio-secret',
    });
    expect([s3.STORAGE_DRIVER, s3.S3_BUCKET, s3.S3_REGION]).toEqual([
      's3',
      'ruche-uploads',
      'us-east-1',
    ]);
    expect(() => loadConfig({ STORAGE_DRIVER: 's3' })).toThrow(
      /S3_BUCKET=undefined: is required with STORAGE_DRIVER=s3/,
    );
    expect(() => loadConfig({ STORAGE_DRIVER: 's3', S3_BUCKET: 'Bad_Bucket' })).toThrow(
      /S3_BUCKET="Bad_Bucket": must be a bucket name/,
    );
    expect(() => loadConfig({ STORAGE_DRIVER: 'ftp' })).toThrow(
      /STORAGE_DRIVER="ftp": must be "local" or "s3"/,
    );
    expect(() => loadConfig({ S3_ENDPOINT: 'minio:9000' })).toThrow(/S3_ENDPOINT="minio:9000"/);
    expect(() => loadConfig({ S3_FORCE_PATH_STYLE: 'yes' })).toThrow(/S3_FORCE_PATH_STYLE="yes"/);
  });

  it('wants both S3 keys or neither, and never prints the secret one', () => {
    expect(() => loadConfig({ S3_ACCESS_KEY_ID: 'minio' })).toThrow(
      /S3_SECRET_ACCESS_KEY=\(hidden\): is required when S3_ACCESS_KEY_ID is set/,
    );
    expect(() => loadConfig({ S3_SECRET_ACCESS_KEY: 'a-secret-value' })).toThrow(
      /^Invalid configuration:\n {2}S3_ACCESS_KEY_ID=undefined: is required when S3_SECRET_ACCESS_KEY is set \(3\+ characters\)$/,
    );
    expect(() => loadConfig({ S3_ACCESS_KEY_ID: 'minio', S3_SECRET_ACCESS_KEY: 'no' })).toThrow(
      /^Invalid configuration:\n {2}S3_SECRET_ACCESS_KEY=\(hidden\): is required/,
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
