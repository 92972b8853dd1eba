import type { Server } from 'node:http';
import type { Client } from '@temporalio/client';
import type { Config } from '../common/config';
import type { Tracing } from '../common/tracing';
import type { Knex } from '../common/db';
import type { Logger } from '../common/logger';
import { codeHashKeyOf, type Secrets } from '../common/secrets';
import { payloadCodecFor } from '../common/temporal';
import { fieldCipherFor } from '../common/field-encryption';
import { IDENTITY_DETAILS_PURPOSE } from '../common/identity-details';
import { CUSTOMER_TOTP_PURPOSE } from './customer-auth/totp';
import { TAX_ID_PURPOSE } from '../common/tax-ids';
import { buildApp } from './app';
import type { AuditTrail } from './audit/trail';
import { createRateLimitCounter, rateLimitStoreFor, type RateLimitCounter } from './http/rate-limit-store';
import { documentStoreFor, type DocumentStore } from './documents/storage';
import type { Lifecycle } from './platform/health';
import { IDEMPOTENCY_PURPOSE } from './http/idempotency-store';
import { createDevCaptchaVerifier, createHttpCaptchaVerifier } from './auth/captcha';
import { STAFF_TOTP_PURPOSE } from './staff';
import { csrfKeyFrom } from './staff/browser-session';
import { WEBHOOK_SECRET_PURPOSE } from './webhooks/signing-secrets';
import { BENEFICIARY_ACCOUNT_PURPOSE } from './beneficiaries';
import type { SandboxVendorUrls } from './platform/sandbox-outcomes';

export interface RunningApi {
  url: string;
  /** Stops at once: no new connections; in-flight requests get up to SHUTDOWN_TIMEOUT_MS. */
  close(): Promise<void>;
  /**
   * The SIGTERM sequence: /ready answers 503 while the server keeps serving for `drainDelayMs` (load balancers
   * notice and stop routing here), then it stops accepting connections and lets in-flight requests finish; at
   * `timeoutMs` after the start, whatever is still open is cut.
   */
  shutdown(options?: { drainDelayMs?: number; timeoutMs?: number }): Promise<void>;
}

export async function startApiServer(
  config: Config,
  secrets: Secrets,
  deps: {
    db: Knex;
    temporal: Client;
    logger: Logger;
    documentStore?: DocumentStore;
    auditTrail?: AuditTrail;
    rateLimitCounter?: RateLimitCounter | null;
    /** Where the sandbox vendors listen, when the caller starts them (default: the configured provider URLs). */
    sandboxVendors?: SandboxVendorUrls;
    /** Tracing, when OTEL_EXPORTER_OTLP_ENDPOINT is set (common/tracing.ts); the Temporal client brings its own interceptor. */
    tracing?: Tracing;
    /** The built back office (default: backoffice/dist under the project root); tests serve a fixture. */
    backofficeDir?: string;
  },
  port = config.PORT,
): Promise<RunningApi> {
  const lifecycle: Lifecycle = { draining: false };
  // Rate-limit counts go to Redis when RATE_LIMIT_REDIS_URL is set, else to the database; a caller may bring its own.
  const rateLimitStore = deps.rateLimitCounter === undefined ? rateLimitStoreFor(config.RATE_LIMIT_REDIS_URL, deps.db) : undefined;
  const { tracing, backofficeDir, ...appDeps } = deps;
  const app = buildApp({
    ...appDeps,
    tracer: tracing?.tracer,
    rateLimitCounter: rateLimitStore ? createRateLimitCounter(rateLimitStore.store, deps.logger) : deps.rateLimitCounter,
    documentStore: deps.documentStore ?? (await documentStoreFor(config)),
    lifecycle,
    sandboxVendors: deps.sandboxVendors ?? { kyc: config.KYC_PROVIDER_URL, kyb: config.KYB_PROVIDER_URL },
    captcha:
      config.CAPTCHA_VERIFY_URL && config.CAPTCHA_SECRET
        ? createHttpCaptchaVerifier({ url: config.CAPTCHA_VERIFY_URL, secret: config.CAPTCHA_SECRET, timeoutMs: 5_000 })
        : createDevCaptchaVerifier(),
    codec: payloadCodecFor(secrets),
    settings: {
      production: config.NODE_ENV === 'production',
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      kycProviderName: config.KYC_PROVIDER_NAME,
      kycWebhookSecret: secrets.kycWebhookSecret,
      kybProviderName: config.KYB_PROVIDER_NAME,
      kybWebhookSecret: secrets.kybWebhookSecret,
      codeHashKey: codeHashKeyOf(secrets),
      platformAdminToken: secrets.platformAdminToken,
      platformAdminTokenEnabled: config.PLATFORM_ADMIN_TOKEN_ENABLED === 'true',
      staff: {
        auth: config.STAFF_AUTH,
        oidc:
          config.STAFF_OIDC_ISSUER && config.STAFF_OIDC_AUDIENCE
            ? {
                issuer: config.STAFF_OIDC_ISSUER,
                audience: config.STAFF_OIDC_AUDIENCE,
                jwksUrl: config.STAFF_OIDC_JWKS_URL,
                rolesClaim: config.STAFF_OIDC_ROLES_CLAIM,
                tenantClaim: config.STAFF_OIDC_TENANT_CLAIM,
              }
            : undefined,
        sessions: { idleMinutes: config.STAFF_SESSION_IDLE_MINUTES, maxHours: config.STAFF_SESSION_MAX_HOURS },
        throttle: {
          threshold: config.STAFF_LOCKOUT_THRESHOLD,
          ipThreshold: config.STAFF_LOCKOUT_IP_THRESHOLD,
          lockSeconds: config.STAFF_LOCKOUT_SECONDS,
          maxLockSeconds: config.STAFF_LOCKOUT_MAX_SECONDS,
        },
        setupTokenTtlHours: config.STAFF_SETUP_TOKEN_TTL_HOURS,
        totpCipher: fieldCipherFor(secrets, STAFF_TOTP_PURPOSE),
        csrfKey: csrfKeyFrom(codeHashKeyOf(secrets)),
      },
      jwtSecret: secrets.jwtSecret,
      jwtIssuer: config.JWT_ISSUER,
      accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
      passwordHashMemoryKiB: config.PASSWORD_HASH_MEMORY_KIB,
      passwordHashIterations: config.PASSWORD_HASH_ITERATIONS,
      registrationMaxInFlight: config.REGISTRATION_MAX_IN_FLIGHT,
      settingsFloors: { reminderAfterSeconds: config.SETTINGS_MIN_REMINDER_SECONDS, resendCooldownSeconds: config.SETTINGS_MIN_RESEND_COOLDOWN_SECONDS },
      codecCorsOrigin: config.CODEC_CORS_ORIGIN,
      idempotencyCipher: fieldCipherFor(secrets, IDEMPOTENCY_PURPOSE),
      taxIdCipher: fieldCipherFor(secrets, TAX_ID_PURPOSE),
      identityDetailsCipher: fieldCipherFor(secrets, IDENTITY_DETAILS_PURPOSE),
      codecAuth: config.CODEC_AUTH ?? (config.NODE_ENV === 'production' ? 'admin-token' : 'none'),
      codecOidc:
        config.CODEC_OIDC_ISSUER && config.CODEC_OIDC_AUDIENCE
          ? {
              issuer: config.CODEC_OIDC_ISSUER,
              audience: config.CODEC_OIDC_AUDIENCE,
              jwksUrl: config.CODEC_OIDC_JWKS_URL,
              requiredClaim: config.CODEC_OIDC_REQUIRED_CLAIM,
              requiredValue: config.CODEC_OIDC_REQUIRED_VALUE,
            }
          : undefined,
      temporalCallTimeoutMs: config.TEMPORAL_CALL_TIMEOUT_MS,
      documentMaxBytes: config.DOCUMENT_MAX_BYTES,
      customerAccessTokenTtlSeconds: config.CUSTOMER_ACCESS_TOKEN_TTL_SECONDS,
      customerSessionTtlSeconds: config.CUSTOMER_SESSION_TTL_SECONDS,
      passwordResetCodeTtlMinutes: config.PASSWORD_RESET_CODE_TTL_MINUTES,
      contactChangeCodeTtlMinutes: config.CONTACT_CHANGE_CODE_TTL_MINUTES,
      customerTotpCipher: fieldCipherFor(secrets, CUSTOMER_TOTP_PURPOSE),
      rateLimitPerIpPerMinute: {
        tokenEndpoint: config.RATE_LIMIT_TOKEN_PER_IP_PER_MINUTE,
        providerWebhook: config.RATE_LIMIT_WEBHOOK_PER_IP_PER_MINUTE,
        customerSignIn: config.RATE_LIMIT_CUSTOMER_SIGN_IN_PER_IP_PER_MINUTE,
      },
      webhookSecretCipher: fieldCipherFor(secrets, WEBHOOK_SECRET_PURPOSE),
      beneficiaryAccountCipher: fieldCipherFor(secrets, BENEFICIARY_ACCOUNT_PURPOSE),
      beneficiaryConfirmationTtlMinutes: config.BENEFICIARY_CONFIRMATION_TTL_MINUTES,
      webhookUrlPolicy: { allowPrivate: config.WEBHOOK_ALLOW_PRIVATE_URLS === 'true' },
      metricsToken: config.METRICS_TOKEN,
      backofficeDir,
      review: { claimMinutes: config.REVIEW_CLAIM_MINUTES, temporalUiUrl: config.TEMPORAL_UI_URL ?? `http://127.0.0.1:${config.TEMPORAL_UI_PORT}` },
    },
  });
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(port, config.HOST, () => resolve(s)).once('error', reject);
  });
  // A client that trickles its headers or body, or a request stuck on a dependency, holds a socket no longer than this.
  server.requestTimeout = config.HTTP_REQUEST_TIMEOUT_MS;
  server.headersTimeout = config.HTTP_HEADERS_TIMEOUT_MS;
  // Longer than the idle timeout of the load balancer in front, so it never reuses a socket this side has closed.
  server.keepAliveTimeout = config.HTTP_KEEP_ALIVE_TIMEOUT_MS;
  const address = server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;

  let stopping: Promise<void> | undefined;
  const shutdown = ({ drainDelayMs = config.SHUTDOWN_DRAIN_DELAY_MS, timeoutMs = config.SHUTDOWN_TIMEOUT_MS } = {}) =>
    (stopping ??= (async () => {
      const hardDeadline = Date.now() + timeoutMs;
      lifecycle.draining = true;
      if (drainDelayMs > 0) await sleep(drainDelayMs);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Keep-alive sockets that finish their request go idle: close them as they do, not at keepAliveTimeout.
      const reaper = setInterval(() => server.closeIdleConnections(), 100);
      server.closeIdleConnections();
      const cut = setTimeout(() => server.closeAllConnections(), Math.max(0, hardDeadline - Date.now()));
      await closed;
      clearInterval(reaper);
      clearTimeout(cut);
      await rateLimitStore?.close();
    })());
  return {
    url: `http://127.0.0.1:${boundPort}`,
    close: () => shutdown({ drainDelayMs: 0 }),
    shutdown,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
