import type { Server } from 'node:http';
import type { Client } from '@temporalio/client';
import type { Config } from '../common/config';
import type { Knex } from '../common/db';
import type { Logger } from '../common/logger';
import { codeHashKeyOf, type Secrets } from '../common/secrets';
import { payloadCodecFor } from '../common/temporal';
import { fieldCipherFor } from '../common/field-encryption';
import { TAX_ID_PURPOSE } from '../common/tax-ids';
import { buildApp } from './app';
import { createDevCaptchaVerifier, createHttpCaptchaVerifier } from './services/captcha';

export interface RunningApi {
  url: string;
  close(): Promise<void>;
}

export async function startApiServer(
  config: Config,
  secrets: Secrets,
  deps: { db: Knex; temporal: Client; logger: Logger },
  port = config.PORT,
): Promise<RunningApi> {
  const app = buildApp({
    ...deps,
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
      codeHashKey: codeHashKeyOf(secrets),
      platformAdminToken: secrets.platformAdminToken,
      jwtSecret: secrets.jwtSecret,
      jwtIssuer: config.JWT_ISSUER,
      accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
      passwordHashMemoryKiB: config.PASSWORD_HASH_MEMORY_KIB,
      passwordHashIterations: config.PASSWORD_HASH_ITERATIONS,
      registrationMaxInFlight: config.REGISTRATION_MAX_IN_FLIGHT,
      codecCorsOrigin: config.CODEC_CORS_ORIGIN,
      taxIdCipher: fieldCipherFor(secrets, TAX_ID_PURPOSE),
      codecRequiresAdminToken: (config.CODEC_AUTH ?? (config.NODE_ENV === 'production' ? 'admin-token' : 'none')) === 'admin-token',
    },
  });
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(port, config.HOST, () => resolve(s)).once('error', reject);
  });
  server.keepAliveTimeout = 65_000;
  const address = server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://127.0.0.1:${boundPort}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
