/**
 * Every environment variable the product reads, in one schema. Parsed once at start-up; a bad value stops the
 * process with a message that names the variable. Nothing else in the codebase reads `process.env`.
 */
import { z } from 'zod';
import { configProblems } from './config-rules';

const port = z.coerce.number().int().min(0).max(65535);
const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const base64Key = z
  .string()
  .refine((value) => Buffer.from(value, 'base64').length === 32, 'must be 32 bytes, base64-encoded');

/** "k2:base64,k1:base64": the first key encrypts, every key decrypts (histories written before a rotation). */
const keyring = z
  .string()
  .transform((value) => value.split(',').map((entry) => entry.trim()).filter((entry) => entry !== ''))
  .refine((entries) => entries.length > 0, 'must list at least one id:base64 key')
  .refine((entries) => entries.every((entry) => /^[A-Za-z0-9_.-]{1,64}:/.test(entry)), 'each key must be id:base64 (id of letters, digits, _ . -)')
  .transform((entries) => entries.map((entry) => ({ id: entry.slice(0, entry.indexOf(':')), key: entry.slice(entry.indexOf(':') + 1) })))
  .refine((keys) => keys.every(({ key }) => Buffer.from(key, 'base64').length === 32), 'each key must be 32 bytes, base64-encoded')
  .refine((keys) => new Set(keys.map(({ id }) => id)).size === keys.length, 'key ids must be unique');

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * OpenTelemetry traces (API → workflow → activities), sent over OTLP/HTTP to `<endpoint>/v1/traces`, e.g.
   * http://localhost:4318 (Jaeger, an OpenTelemetry Collector). Unset = no tracing (the no-op API only).
   */
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
  /** The service name's prefix: each process reports as `<name>-api`, `<name>-worker` or `<name>-all` (npm start). */
  OTEL_SERVICE_NAME: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, . _ and -').default('onboarding'),
  /** Share of new traces recorded (0–1); a request that arrives with a sampled `traceparent` follows its caller. */
  OTEL_TRACES_SAMPLE_RATIO: z.coerce.number().min(0).max(1).default(1),

  HOST: z.string().default('0.0.0.0'),
  PORT: port.default(3000),
  /** Node's server.requestTimeout / headersTimeout / keepAliveTimeout for the API. */
  HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1_000).default(30_000),
  HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(1_000).default(20_000),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(1_000).default(65_000),
  /** On SIGTERM: how long /ready answers 503 while still serving, so load balancers stop sending new requests. */
  SHUTDOWN_DRAIN_DELAY_MS: z.coerce.number().int().min(0).default(5_000),
  /** On SIGTERM: the hard deadline after which open requests are cut, the worker is forced and the process exits. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(1_000).default(25_000),
  /** The worker's shutdownGraceTime: running activities get this long to finish before they are cancelled. */
  WORKER_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(15_000),
  /**
   * The worker's sticky cache: executions kept in memory between their tasks (0: none). Each holds its own copy of
   * the workflow modules, so this bounds the worker's memory; an evicted one is replayed from its history when it
   * next wakes. README "Worker memory and how to size it".
   */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).max(100_000).refine((n) => n !== 1, 'must be 0 (no cache) or at least 2').default(500),
  /** Task slots: workflow tasks (unset: the SDK's 40, or the cache size if smaller), activities, local activities. */
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: optionalText.pipe(z.coerce.number<string | undefined>().int().min(2).max(10_000).optional()),
  WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().min(1).max(10_000).default(100),
  WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES: z.coerce.number().int().min(1).max(10_000).default(100),

  DATABASE_URL: optionalText.pipe(z.url({ protocol: /^postgres(ql)?$/ }).optional()),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  /** How long a query waits for a pooled connection (and a new connection for its handshake) before 503. */
  DATABASE_ACQUIRE_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5_000),
  /** PostgreSQL statement_timeout for every connection: no query runs longer. */
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
  EMBEDDED_POSTGRES_PORT: port.default(5433),

  TEMPORAL_ADDRESS: optionalText,
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('customer-onboarding'),
  TEMPORAL_CLI_PATH: optionalText,
  TEMPORAL_PORT: port.default(7233),
  TEMPORAL_UI_PORT: port.default(8233),
  /** Where staff open the Temporal Web UI (the back office links each case's workflow there); default: the dev server's. */
  TEMPORAL_UI_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
  /** How long a reviewer's claim on a case holds before another reviewer may take it. */
  REVIEW_CLAIM_MINUTES: z.coerce.number().int().min(1).max(480).default(30),
  /** Deadline for each API call to Temporal (an update, update-with-start, query or signal); past it: 503. */
  TEMPORAL_CALL_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(10_000),
  /** TLS to the Temporal frontend: on when a CA, client certificate or API key is given, unless set to false. */
  TEMPORAL_TLS: z.enum(['true', 'false']).optional(),
  TEMPORAL_TLS_CA_PATH: optionalText,
  TEMPORAL_TLS_CERT_PATH: optionalText,
  TEMPORAL_TLS_KEY_PATH: optionalText,
  TEMPORAL_TLS_SERVER_NAME: optionalText,
  /** Temporal Cloud (or a proxy) API key, sent as a bearer token on every call. */
  TEMPORAL_API_KEY: optionalText,

  SMTP_URL: optionalText.pipe(z.url({ protocol: /^smtps?$/ }).optional()),
  MAIL_FROM: z.string().min(3).default('Onboarding <no-reply@onboarding.local>'),
  MAILDEV_SMTP_PORT: port.default(1025),
  MAILDEV_WEB_PORT: port.default(1080),

  PLATFORM_ADMIN_TOKEN: optionalText.pipe(z.string().min(24, 'must be at least 24 characters').optional()),
  /** false: the static platform token opens nothing (set it once the first PLATFORM_ADMIN is enrolled). */
  PLATFORM_ADMIN_TOKEN_ENABLED: z.enum(['true', 'false']).default('true'),
  /** Who authenticates staff: local accounts (password + TOTP sessions) or an OIDC provider's access tokens. */
  STAFF_AUTH: z.enum(['local', 'oidc']).default('local'),
  /** Local staff sessions end after this long without a request, and at the latest this long after login. */
  STAFF_SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  STAFF_SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(72).default(8),
  /** How long a new staff account's one-time setup token stays valid. */
  STAFF_SETUP_TOKEN_TTL_HOURS: z.coerce.number().int().min(1).max(720).default(72),
  /** Failed logins before an e-mail address (or, past the IP threshold, a client address) is locked. */
  STAFF_LOCKOUT_THRESHOLD: z.coerce.number().int().min(1).max(100).default(5),
  STAFF_LOCKOUT_IP_THRESHOLD: z.coerce.number().int().min(1).max(10_000).default(20),
  /** The first lock's length; each further failure doubles it, up to the maximum. */
  STAFF_LOCKOUT_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  STAFF_LOCKOUT_MAX_SECONDS: z.coerce.number().int().min(1).max(86_400).default(3600),
  /** STAFF_AUTH=oidc: the provider's issuer, the audience of its tokens for this API, and optionally its JWKS. */
  STAFF_OIDC_ISSUER: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
  STAFF_OIDC_AUDIENCE: optionalText,
  STAFF_OIDC_JWKS_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
  /** STAFF_AUTH=oidc: the claim (dotted path) listing the person's staff roles, and the one naming a TENANT_ADMIN's tenant. */
  STAFF_OIDC_ROLES_CLAIM: z.string().min(1).default('roles'),
  STAFF_OIDC_TENANT_CLAIM: z.string().min(1).default('tenant_id'),
  JWT_SECRET: optionalText.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
  JWT_ISSUER: z.string().min(1).default('onboarding-orchestrator'),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(3600),
  /** Customer sessions: the access token's life (short: the session row is checked anyway) and the session's. */
  CUSTOMER_ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(3600).default(900),
  CUSTOMER_SESSION_TTL_SECONDS: z.coerce.number().int().min(300).max(90 * 86_400).default(30 * 86_400),
  PASSWORD_RESET_CODE_TTL_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  /** How long a new beneficiary's confirmation code is good for; a fraction is allowed (tests use 0.1, 6 seconds). */
  BENEFICIARY_CONFIRMATION_TTL_MINUTES: z.coerce.number().min(0.05).max(1440).default(15),
  /** Lifetime of the code confirming an active customer's new e-mail or phone; fractions for tests (0.05 = 3 s). */
  CONTACT_CHANGE_CODE_TTL_MINUTES: z.coerce.number().positive().max(1440).default(30),
  PAYLOAD_ENCRYPTION_KEY: optionalText.pipe(base64Key.optional()),
  PAYLOAD_ENCRYPTION_KEY_ID: z.string().min(1).default('k1'),
  /** The payload keyring, active key first; replaces PAYLOAD_ENCRYPTION_KEY(_ID), which stays as the one-key form. */
  PAYLOAD_ENCRYPTION_KEYS: optionalText.pipe(keyring.optional()),
  /** The HMAC key for stored verification-code hashes; development derives one from the payload key. */
  CODE_HMAC_KEY: optionalText.pipe(base64Key.optional()),

  /** The Temporal Web UI origin allowed to call the remote codec endpoint (/codec) from a browser. */
  CODEC_CORS_ORIGIN: z.string().default('http://localhost:8233'),
  /** Who may decrypt payloads at /codec: the platform admin token, staff tokens of an OIDC provider, or anyone. */
  CODEC_AUTH: z.enum(['admin-token', 'oidc', 'none']).optional(),
  /** CODEC_AUTH=oidc: the provider's `iss`, the `aud` its access tokens carry for /codec, and optionally its JWKS. */
  CODEC_OIDC_ISSUER: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
  CODEC_OIDC_AUDIENCE: optionalText,
  CODEC_OIDC_JWKS_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
  /** CODEC_AUTH=oidc: a claim (e.g. groups, realm_access.roles) that must contain the value (e.g. compliance). */
  CODEC_OIDC_REQUIRED_CLAIM: optionalText,
  CODEC_OIDC_REQUIRED_VALUE: optionalText,

  KYC_PROVIDER_NAME: z.string().regex(/^[a-z0-9-]+$/, 'lowercase letters, digits and dashes').default('sandbox'),
  KYC_PROVIDER_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
  KYC_WEBHOOK_SECRET: optionalText.pipe(z.string().startsWith('whsec_', 'must be a Standard Webhooks secret (whsec_...)').optional()),
  KYC_PROVIDER_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  KYC_SANDBOX_PORT: port.default(4010),
  KYB_PROVIDER_NAME: z.string().regex(/^[a-z0-9-]+$/, 'lowercase letters, digits and dashes').default('sandbox'),
  KYB_PROVIDER_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
  KYB_WEBHOOK_SECRET: optionalText.pipe(z.string().startsWith('whsec_', 'must be a Standard Webhooks secret (whsec_...)').optional()),
  KYB_PROVIDER_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  KYB_SANDBOX_PORT: port.default(4020),
  SMS_PROVIDER_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
  SMS_PROVIDER_TOKEN: optionalText,

  /** reCAPTCHA/hCaptcha/Turnstile-compatible siteverify endpoint; unset = development verifier (refuses only "invalid"). */
  CAPTCHA_VERIFY_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
  CAPTCHA_SECRET: optionalText,
  /** Concurrent registrations one API process accepts before answering 503 (load shedding). */
  REGISTRATION_MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(10_000).default(32),

  /** Rate-limit counters in Redis (redis:// or rediss://); unset = the `rate_limits` table in PostgreSQL. */
  RATE_LIMIT_REDIS_URL: optionalText.pipe(z.url({ protocol: /^rediss?$/ }).optional()),
  /** Requests per minute from one IP address to the token endpoint, and to the provider webhooks (KYC and KYB together). */
  RATE_LIMIT_TOKEN_PER_IP_PER_MINUTE: z.coerce.number().int().min(1).default(60),
  RATE_LIMIT_WEBHOOK_PER_IP_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  /** Customers' sign-in, 2FA, refresh and password-reset calls from one IP address (a tenant's backend may proxy many). */
  RATE_LIMIT_CUSTOMER_SIGN_IN_PER_IP_PER_MINUTE: z.coerce.number().int().min(1).default(300),

  /** Floors for tenant settings: reminders no more often, codes no closer together (tests lower them). */
  SETTINGS_MIN_REMINDER_SECONDS: z.coerce.number().int().min(1).default(3600),
  SETTINGS_MIN_RESEND_COOLDOWN_SECONDS: z.coerce.number().int().min(1).default(30),
  EMAIL_CODE_TTL_MINUTES: z.coerce.number().int().min(1).max(1440).default(60),
  PASSWORD_HASH_MEMORY_KIB: z.coerce.number().int().min(8192).default(19_456),
  PASSWORD_HASH_ITERATIONS: z.coerce.number().int().min(1).default(2),

  DATA_DIR: z.string().min(1).default('.data'),

  /** Where document bytes go: files under DOCUMENT_DIR, or an S3 bucket (AWS or any S3-compatible store). */
  DOCUMENT_STORE: z.enum(['local', 's3']).default('local'),
  /** DOCUMENT_STORE=local: the directory (default DATA_DIR/documents), created on start. */
  DOCUMENT_DIR: optionalText,
  /** Largest document accepted, in bytes (default 10 MiB); larger uploads are refused with 413. */
  DOCUMENT_MAX_BYTES: z.coerce.number().int().min(1024).max(100 * 1024 * 1024).default(10 * 1024 * 1024),
  DOCUMENT_S3_BUCKET: optionalText,
  DOCUMENT_S3_REGION: z.string().min(1).default('us-east-1'),
  /** An S3-compatible endpoint (MinIO, Ceph, …); unset = AWS S3 for the region. */
  DOCUMENT_S3_ENDPOINT: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
  /** Path-style URLs (endpoint/bucket/key), which most S3-compatible servers need. */
  DOCUMENT_S3_FORCE_PATH_STYLE: z.enum(['true', 'false']).default('false'),
  /** Static credentials; unset = the AWS SDK's default chain (environment, instance or task role, …). */
  DOCUMENT_S3_ACCESS_KEY_ID: optionalText,
  DOCUMENT_S3_SECRET_ACCESS_KEY: optionalText,
  /** Prepended to every object key, e.g. `onboarding/`, to share a bucket. */
  DOCUMENT_S3_KEY_PREFIX: z.string().regex(/^([A-Za-z0-9_-]+\/)*$/, 'letters, digits, _ and - segments, each ending in /').default(''),

  /**
   * Tenant webhooks: `true` lets subscriptions use plain http and loopback or private addresses (a receiver on the
   * developer's machine). Refused with NODE_ENV=production, where only https to public addresses is delivered.
   */
  WEBHOOK_ALLOW_PRIVATE_URLS: z.enum(['true', 'false']).default('false'),
  /** Per delivery attempt, connecting to the receiver until its response headers; past it the attempt failed. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /**
   * Failed deliveries are retried with exponential back-off and jitter: the first retry after about the initial
   * interval, each later one about twice as late, at most the maximum interval apart, for as long as the window
   * (from the first attempt) lasts; then the delivery FAILED and the subscription is disabled as FAILING.
   */
  WEBHOOK_RETRY_INITIAL_MS: z.coerce.number().int().min(10).default(30_000),
  WEBHOOK_RETRY_MAX_INTERVAL_MS: z.coerce.number().int().min(10).default(3_600_000),
  WEBHOOK_RETRY_WINDOW_MS: z.coerce.number().int().min(100).default(3 * 86_400_000),

  /**
   * Metrics: the bearer token Prometheus must send to /metrics (the API's, and the worker's port); unset = open, for
   * development. Either way keep /metrics on an internal network: it names routes and volumes, never data.
   */
  METRICS_TOKEN: optionalText.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  /** `npm run worker`: the port of its /metrics (activity figures and the Temporal SDK's worker metrics). */
  WORKER_METRICS_PORT: port.default(9464),
  /**
   * In a process that runs a worker, the Temporal SDK's own Prometheus exporter listens on 127.0.0.1 at this port;
   * the process's /metrics re-serves it, so nothing scrapes it directly. Change it only when two such processes
   * share a host.
   */
  TEMPORAL_SDK_METRICS_PORT: port.default(9465),
});

export type Config = z.infer<typeof configSchema>;

/** Settings that a production process must be given explicitly: development generates them. */
const REQUIRED_IN_PRODUCTION = [
  'DATABASE_URL',
  'TEMPORAL_ADDRESS',
  'SMTP_URL',
  'PLATFORM_ADMIN_TOKEN',
  'JWT_SECRET',
  'PAYLOAD_ENCRYPTION_KEY',
  'CODE_HMAC_KEY',
  'KYC_PROVIDER_URL',
  'KYC_WEBHOOK_SECRET',
  'KYB_PROVIDER_URL',
  'KYB_WEBHOOK_SECRET',
  'SMS_PROVIDER_URL',
  'CAPTCHA_VERIFY_URL',
  'CAPTCHA_SECRET',
] as const;

export class ConfigError extends Error {}

export function parseConfig(env: Record<string, string | undefined>): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const config = parsed.data;
  if (config.PAYLOAD_ENCRYPTION_KEY !== undefined && config.PAYLOAD_ENCRYPTION_KEYS !== undefined) {
    throw new ConfigError('Invalid configuration:\n  PAYLOAD_ENCRYPTION_KEYS: set it or PAYLOAD_ENCRYPTION_KEY, not both');
  }
  const problems = configProblems(config);
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  if (config.NODE_ENV === 'production') {
    const given = (name: (typeof REQUIRED_IN_PRODUCTION)[number]) =>
      config[name] !== undefined ||
      (name === 'PAYLOAD_ENCRYPTION_KEY' && config.PAYLOAD_ENCRYPTION_KEYS !== undefined) ||
      (name === 'PLATFORM_ADMIN_TOKEN' && config.PLATFORM_ADMIN_TOKEN_ENABLED === 'false');
    const missing = REQUIRED_IN_PRODUCTION.filter((name) => !given(name));
    if (missing.length > 0) {
      throw new ConfigError(`Invalid configuration:\n${missing.map((n) => `  ${n}: required when NODE_ENV=production`).join('\n')}`);
    }
  }
  return config;
}

/** Reads the process environment; the one place that does. */
export function loadConfig(): Config {
  return parseConfig(process.env);
}
