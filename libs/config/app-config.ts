import { plainToInstance, Transform } from 'class-transformer';
import {
  ArrayNotEmpty,
  IsArray,
  IsDefined,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateIf,
  validateSync,
} from 'class-validator';

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;

const toList = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((t) => t.trim().toLowerCase())
        .filter(Boolean)
    : value;

/** Images, PDF, plain text and CSV, office documents (OOXML and OpenDocument), zip. */
export const DEFAULT_UPLOAD_TYPES: readonly string[] = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'text/plain',
  'text/csv',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.presentation',
  'application/zip',
];

/**
 * Every setting Ruche reads from the environment, with the defaults that work on a developer
 * machine. Only this library reads `process.env`. Secrets are marked so they are never logged.
 */
export class AppConfig {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @Matches(/^https?:\/\/[^\s/]+(\/[^\s]*)?$/, { message: 'must be an http(s) URL' })
  PUBLIC_URL = 'http://localhost:3000';

  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'must be a postgres:// URL' })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/ruche';

  /**
   * Connections per process for writes, transactions and ordinary reads. A worker holds up to 12
   * sends in flight, each in its own transaction, while its other jobs run: keep it well above 12
   * (at 10 the sends took every connection and waited for one more: a deadlock).
   */
  @Transform(toInt)
  @IsInt()
  @Min(16)
  @Max(500)
  DATABASE_POOL_SIZE = 20;

  /** Connections per process for the hot reads (feed page, by-id loaders), planned once per connection. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(500)
  DATABASE_HOT_POOL_SIZE = 6;

  @Matches(/^rediss?:\/\/\S+$/, { message: 'must be a redis:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  @Matches(/^[A-Za-z0-9_.-]{1,40}$/, { message: 'must be 1-40 letters, digits, _ . or -' })
  REDIS_PREFIX = 'ruche';

  @Matches(/^smtps?:\/\/\S+$/, { message: 'must be an smtp:// or smtps:// URL' })
  SMTP_URL = 'smtp://127.0.0.1:1025';

  @IsString()
  @MinLength(3)
  MAIL_FROM = 'Ruche <no-reply@localhost>';

  /**
   * Reply by email: the domain of the reply addresses (reply+<token>@INBOUND_DOMAIN), routed by the
   * company's MX to the worker's SMTP listener on INBOUND_SMTP_PORT. Both unset: off.
   */
  @IsOptional()
  @Matches(/^[a-z0-9.-]+\.[a-z0-9-]+$|^localhost$/i, { message: 'must be a domain name' })
  INBOUND_DOMAIN?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  INBOUND_SMTP_PORT?: number;

  /** Secret. Signs access tokens; generated once and stored in the database when not given. */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters' })
  JWT_SECRET?: string;

  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(86400)
  ACCESS_TOKEN_TTL = 900;

  @Transform(toInt)
  @IsInt()
  @Min(3600)
  @Max(31536000)
  REFRESH_TOKEN_TTL = 2592000;

  /** Sign-in attempts per client address per hour: generous, a whole office shares one. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  RATE_SIGNIN_PER_IP = 600;

  /** Messages one person sends per minute, over every conversation (shared in Redis). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  RATE_MESSAGES_PER_MINUTE = 30;

  /** Sign-in attempts per account per 15 minutes: strict. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  RATE_SIGNIN_PER_ACCOUNT = 10;

  /** Sign-ups per client address per hour. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  RATE_SIGNUP_PER_IP = 200;

  /** Verification and reset emails per address per hour. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  RATE_EMAIL_PER_ACCOUNT = 5;

  @Transform(toInt)
  @IsInt()
  @Min(2)
  @Max(50)
  GRAPHQL_MAX_DEPTH = 12;

  /** VAPID key pair for Web Push (base64url); generated once and stored in the database when not given. */
  @IsOptional()
  @IsString()
  VAPID_PUBLIC_KEY?: string;

  /** Secret. */
  @IsOptional()
  @IsString()
  VAPID_PRIVATE_KEY?: string;

  /** A PEM file of extra certificate authorities trusted for Web Push endpoints (a private push service, tests). */
  @IsOptional()
  @IsString()
  PUSH_CA_FILE?: string;

  /** Calls a minute one integration URL accepts (shared by every API process, in Redis). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  INTEGRATION_CALLS_PER_MINUTE = 60;

  /** A PEM file of extra certificate authorities trusted for webhook endpoints (an internal CA, tests). */
  @IsOptional()
  @IsString()
  WEBHOOKS_CA_FILE?: string;

  /**
   * Networks (CIDR, comma-separated) that webhooks may reach although they are loopback or
   * private: none by default, so no webhook can probe the inside of the network (SSRF).
   */
  @Transform(toList)
  @IsArray()
  @Matches(/^[0-9a-f.:]+\/\d{1,3}$/, {
    each: true,
    message: 'each must be a CIDR like 10.1.0.0/16',
  })
  WEBHOOKS_ALLOWED_NETWORKS: string[] = [];

  /** Failed attempts in a row after which a webhook is disabled and its owner emailed. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  WEBHOOK_MAX_FAILURES = 15;

  /** Secret. When set, /metrics answers only `Authorization: Bearer <METRICS_TOKEN>`. */
  @IsOptional()
  @MinLength(16, { message: 'must be at least 16 characters' })
  METRICS_TOKEN?: string;

  @Transform(toInt)
  @IsInt()
  @Min(10)
  GRAPHQL_MAX_COST = 20000;

  /** Tokens a GraphQL document may hold; parsing stops past it (the standard introspection query has about 200). */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  GRAPHQL_MAX_TOKENS = 10000;

  /** Whether clients may read the schema (`__schema`, `__type`); `__typename` is always allowed. */
  @IsIn(['true', 'false'])
  GRAPHQL_INTROSPECTION: 'true' | 'false' = 'true';

  /**
   * How long a worker holds a job's lock (ms); a worker that dies (kill -9, power loss) has its jobs
   * taken over by another worker after about this long. Also the stalled-job check interval.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  JOB_LOCK_MS = 30000;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Where uploads are kept. Only `local` is built: S3-compatible stores are not implemented yet. */
  /** Where uploads are kept: `local` (STORAGE_DIR, a shared volume for many processes) or `s3`. */
  @IsIn(['local', 's3'], { message: 'must be "local" or "s3"' })
  STORAGE_DRIVER: 'local' | 's3' = 'local';

  /** The bucket of the s3 driver (created beforehand; required with STORAGE_DRIVER=s3). */
  @ValidateIf((c: AppConfig) => c.STORAGE_DRIVER === 's3')
  @IsDefined({ message: 'is required with STORAGE_DRIVER=s3 (the bucket keeping the uploads)' })
  @Matches(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, {
    message: 'must be a bucket name: 3-63 lowercase letters, digits, dots and hyphens',
  })
  S3_BUCKET?: string;

  /** An S3-compatible endpoint (MinIO, Ceph, Garage...); unset: AWS's own for S3_REGION. */
  @IsOptional()
  @Matches(/^https?:\/\/[^\s/]+\/?$/, { message: 'must be an http(s) URL with no path' })
  S3_ENDPOINT?: string;

  @Matches(/^[a-z0-9-]{2,40}$/, { message: 'must be a region name such as eu-west-3' })
  S3_REGION = 'us-east-1';

  /** `true` addresses the bucket in the path (MinIO and most self-hosted stores need it). */
  @IsIn(['true', 'false'])
  S3_FORCE_PATH_STYLE: 'true' | 'false' = 'false';

  /** With S3_SECRET_ACCESS_KEY; both unset: the AWS default chain (instance role, AWS_* variables). */
  @ValidateIf((c: AppConfig) => c.S3_SECRET_ACCESS_KEY !== undefined)
  @Matches(/^\S{3,}$/, { message: 'is required when S3_SECRET_ACCESS_KEY is set (3+ characters)' })
  S3_ACCESS_KEY_ID?: string;

  /** Secret. */
  @ValidateIf((c: AppConfig) => c.S3_ACCESS_KEY_ID !== undefined)
  @Matches(/^\S{3,}$/, { message: 'is required when S3_ACCESS_KEY_ID is set (3+ characters)' })
  S3_SECRET_ACCESS_KEY?: string;

  /** The built web app the API serves at / (`npm run build` writes it; missing: / answers 404). */
  @IsString()
  @MinLength(1)
  WEB_DIR = 'dist/web';

  /**
   * The local driver's directory (relative paths start at the working directory); with s3, only
   * uploads being received are written here (in its tmp/), then streamed to the bucket.
   */
  @IsString()
  @MinLength(1)
  STORAGE_DIR = 'var/uploads';

  /** Largest accepted upload, in bytes (25 MiB). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(2 ** 31 - 1)
  UPLOAD_MAX_BYTES = 25 * 1024 * 1024;

  /** Accepted content types, comma-separated. */
  @Transform(toList)
  @IsArray()
  @ArrayNotEmpty()
  @Matches(/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/, {
    each: true,
    message: 'must be a comma-separated list of content types such as image/png',
  })
  UPLOAD_ALLOWED_TYPES: string[] = [...DEFAULT_UPLOAD_TYPES];

  /** Uploads per user per minute. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  RATE_UPLOADS_PER_USER = 20;

  /** Ids kept in each home-feed timeline in Redis (older items are read from PostgreSQL). */
  @Transform(toInt)
  @IsInt()
  @Min(20)
  @Max(100000)
  FEED_TIMELINE_CAP = 800;

  /** An activity whose audience is larger is merged into feeds at read time instead of copied. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  FEED_FANOUT_MAX = 2000;

  /** The Redis holding the timelines, when not REDIS_URL (they are a cache: the feed works without it). */
  @IsOptional()
  @IsString()
  FEED_REDIS_URL?: string;

  /**
   * When set, a worker rewrites this file each second while it reaches PostgreSQL and Redis;
   * `ruche health worker` (the image's health check) fails when it is older than 30 s.
   */
  @IsOptional()
  @IsString()
  WORKER_HEARTBEAT_FILE?: string;

  /** Whether `npm start`/`ruche start` runs the worker inside the same process tree. */
  @IsIn(['true', 'false'])
  START_WORKER = 'true';

  /**
   * V8's old-generation limit (MB) of the API and worker processes `ruche` starts. Without it V8
   * grows the heap under load far beyond what is live (an API at 16 concurrent feeds reached 508 MB
   * resident; 272 MB with 160).
   */
  @Transform(toInt)
  @IsInt()
  @Min(64)
  @Max(65536)
  HEAP_MB = 192;

  // Single sign-on (docs/sso.md). OpenID Connect is on when OIDC_ISSUER_URL is set.

  /** The provider's issuer (its /.well-known/openid-configuration is read at boot). http only on loopback. */
  @IsOptional()
  @Matches(/^https?:\/\/[^\s/]+(\/[^\s]*)?$/, { message: 'must be an http(s) URL' })
  OIDC_ISSUER_URL?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  OIDC_CLIENT_ID?: string;

  /** Secret. Without it the client is public (PKCE alone). */
  @IsOptional()
  @IsString()
  OIDC_CLIENT_SECRET?: string;

  /** Asked scopes; add `offline_access` so the provider's refresh token lets Ruche recheck the person. */
  @Matches(/^openid( [\x21-\x7e]+)*$/, {
    message: 'must be space-separated scopes starting with openid',
  })
  OIDC_SCOPES = 'openid email profile';

  /** Shown on the sign-in page: "Sign in with <name>". */
  @IsString()
  @MinLength(1)
  OIDC_PROVIDER_NAME = 'SSO';

  /** The `prompt` sent to the provider (e.g. `consent`, which some want with offline_access). */
  @IsOptional()
  @Matches(/^(none|login|consent|select_account)( (login|consent|select_account))*$/, {
    message: 'must be none, login, consent or select_account',
  })
  OIDC_PROMPT?: string;

  @Matches(/^[\w.:/-]{1,100}$/, { message: 'must be a claim name' }) OIDC_CLAIM_EMAIL = 'email';
  @Matches(/^[\w.:/-]{1,100}$/, { message: 'must be a claim name' }) OIDC_CLAIM_NAME = 'name';
  @Matches(/^[\w.:/-]{1,100}$/, { message: 'must be a claim name' })
  OIDC_CLAIM_DEPARTMENT = 'department';
  @Matches(/^[\w.:/-]{1,100}$/, { message: 'must be a claim name' }) OIDC_CLAIM_TITLE = 'job_title';

  /** The claim holding the person's groups (a list of strings); no group mapping when unset. */
  @IsOptional()
  @Matches(/^[\w.:/-]{1,100}$/, { message: 'must be a claim name' })
  OIDC_CLAIM_GROUPS?: string;

  /**
   * `claim value=group slug` pairs, comma-separated (`Finance Team=finance,eng=engineering`). When
   * unset, a claim value maps onto the group whose slug equals it.
   */
  @IsOptional()
  @Matches(/^[^=,]+=[a-z0-9][a-z0-9-]*(,[^=,]+=[a-z0-9][a-z0-9-]*)*$/, {
    message: 'must be "claim value=group slug" pairs separated by commas',
  })
  OIDC_GROUP_MAP?: string;

  /** LDAP / Active Directory sign-in through `signIn(email, password)`: on when LDAP_URL is set. */
  @IsOptional()
  @Matches(/^ldaps?:\/\/\S+$/, { message: 'must be an ldap:// or ldaps:// URL' })
  LDAP_URL?: string;

  /** The service account that searches for the person's entry (anonymous search when unset). */
  @IsOptional()
  @IsString()
  LDAP_BIND_DN?: string;

  /** Secret. */
  @IsOptional()
  @IsString()
  LDAP_BIND_PASSWORD?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  LDAP_SEARCH_BASE?: string;

  /** `{{email}}` (the whole address) and `{{username}}` (before the @) are replaced, escaped (RFC 4515). */
  @Matches(/^\(.*\{\{(email|username)\}\}.*\)$/, {
    message: 'must be an LDAP filter in parentheses holding {{email}} or {{username}}',
  })
  LDAP_SEARCH_FILTER = '(mail={{email}})';

  @IsString() @MinLength(1) LDAP_ATTR_EMAIL = 'mail';
  @IsString() @MinLength(1) LDAP_ATTR_NAME = 'cn';
  @IsString() @MinLength(1) LDAP_ATTR_DEPARTMENT = 'departmentNumber';
  @IsString() @MinLength(1) LDAP_ATTR_TITLE = 'title';
  /** The entry's stable id (`entryUUID` for OpenLDAP, `objectGUID` for Active Directory). */
  @IsString() @MinLength(1) LDAP_ATTR_ID = 'entryUUID';

  /** How often (minutes) a single sign-on session is rechecked at its provider on refresh. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(1440)
  SSO_RECHECK_MINUTES = 10;
}

const OPTIONAL_SSO_KEYS = [
  'OIDC_ISSUER_URL',
  'OIDC_CLIENT_ID',
  'OIDC_CLIENT_SECRET',
  'OIDC_PROMPT',
  'OIDC_CLAIM_GROUPS',
  'OIDC_GROUP_MAP',
  'LDAP_URL',
  'LDAP_BIND_DN',
  'LDAP_BIND_PASSWORD',
  'LDAP_SEARCH_BASE',
];

/** Names of settings whose values must never be printed. */
export const SECRET_KEYS: ReadonlySet<keyof AppConfig> = new Set([
  'JWT_SECRET',
  'DATABASE_URL',
  'VAPID_PRIVATE_KEY',
  'METRICS_TOKEN',
  'S3_SECRET_ACCESS_KEY',
  'OIDC_CLIENT_SECRET',
  'LDAP_BIND_PASSWORD',
]);

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}

/** Reads and validates the configuration; throws one ConfigError listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const known = Object.keys(new AppConfig()).concat(
    'JWT_SECRET',
    'VAPID_PUBLIC_KEY',
    'VAPID_PRIVATE_KEY',
    'PUSH_CA_FILE',
    'WEBHOOKS_CA_FILE',
    'METRICS_TOKEN',
    'FEED_REDIS_URL',
    'WORKER_HEARTBEAT_FILE',
    'S3_BUCKET',
    'S3_ENDPOINT',
    'S3_ACCESS_KEY_ID',
    'S3_SECRET_ACCESS_KEY',
    ...OPTIONAL_SSO_KEYS,
    'INBOUND_DOMAIN',
    'INBOUND_SMTP_PORT',
  );
  const raw: Record<string, string> = {};
  for (const key of known) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const config = plainToInstance(AppConfig, raw);
  const errors = validateSync(config, { forbidUnknownValues: false });
  const problems = errors.map((e) => {
    const shown = SECRET_KEYS.has(e.property as keyof AppConfig)
      ? '(hidden)'
      : JSON.stringify(e.value);
    return `${e.property}=${shown}: ${Object.values(e.constraints ?? {}).join('; ')}`;
  });
  if (config.OIDC_ISSUER_URL && !config.OIDC_CLIENT_ID)
    problems.push('OIDC_CLIENT_ID=(missing): required when OIDC_ISSUER_URL is set');
  if (config.LDAP_URL && !config.LDAP_SEARCH_BASE)
    problems.push('LDAP_SEARCH_BASE=(missing): required when LDAP_URL is set');
  if (config.LDAP_BIND_DN && !config.LDAP_BIND_PASSWORD)
    problems.push('LDAP_BIND_PASSWORD=(missing): required when LDAP_BIND_DN is set');
  if (problems.length) throw new ConfigError(problems);
  return config;
}
