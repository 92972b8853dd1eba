/** The clients the activities get in every role that runs a worker (npm start, npm run worker, tests). */
import type { Client } from '@temporalio/client';
import type { Config } from '../common/config';
import type { Knex } from '../common/db';
import { fieldCipherFor } from '../common/field-encryption';
import { IDENTITY_DETAILS_PURPOSE } from '../common/identity-details';
import { codeHashKeyOf, type Secrets } from '../common/secrets';
import type { ActivityDeps } from '../activities';
import { createHttpKybProvider } from '../activities/kyb-provider';
import { createHttpKycProvider } from '../activities/kyc-provider';
import { createSmtpMailer } from '../activities/mailer';
import { createHttpSmsSender, createOutboxSmsSender } from '../activities/sms';
import { WEBHOOK_SECRET_PURPOSE } from '../api/webhooks/signing-secrets';
import { createWebhookWake } from '../api/webhooks/wake';

export function buildActivityDeps(
  config: Config,
  secrets: Secrets,
  clients: { db: Knex; temporal: Client; smtpUrl: string; kycProviderUrl: string; kybProviderUrl: string },
): ActivityDeps {
  return {
    db: clients.db,
    mailer: createSmtpMailer(clients.smtpUrl, config.MAIL_FROM, config.WORKER_MAX_CONCURRENT_ACTIVITIES),
    sms: config.SMS_PROVIDER_URL
      ? createHttpSmsSender(config.SMS_PROVIDER_URL, config.SMS_PROVIDER_TOKEN ?? '')
      : createOutboxSmsSender(clients.db),
    kycProvider: createHttpKycProvider({
      name: config.KYC_PROVIDER_NAME,
      baseUrl: clients.kycProviderUrl,
      timeoutMs: config.KYC_PROVIDER_TIMEOUT_MS,
    }),
    kybProvider: createHttpKybProvider({
      name: config.KYB_PROVIDER_NAME,
      baseUrl: clients.kybProviderUrl,
      timeoutMs: config.KYB_PROVIDER_TIMEOUT_MS,
    }),
    codeHashKey: codeHashKeyOf(secrets),
    codeTtlMinutes: config.EMAIL_CODE_TTL_MINUTES,
    identityDetailsCipher: fieldCipherFor(secrets, IDENTITY_DETAILS_PURPOSE),
    webhookWake: createWebhookWake(clients.temporal, config.TEMPORAL_TASK_QUEUE),
    webhooks: {
      signingCipher: fieldCipherFor(secrets, WEBHOOK_SECRET_PURPOSE),
      urlPolicy: { allowPrivate: config.WEBHOOK_ALLOW_PRIVATE_URLS === 'true' },
      timeoutMs: config.WEBHOOK_TIMEOUT_MS,
      retryInitialMs: config.WEBHOOK_RETRY_INITIAL_MS,
      retryMaxIntervalMs: config.WEBHOOK_RETRY_MAX_INTERVAL_MS,
      retryWindowMs: config.WEBHOOK_RETRY_WINDOW_MS,
    },
  };
}
