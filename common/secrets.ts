/**
 * The three secrets every role needs. Production takes them from the environment (config refuses to start
 * without them). Development and tests generate them once and keep them under DATA_DIR, so tokens, encrypted
 * workflow histories and the printed admin token survive a restart of `npm start`.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './config';

export interface Secrets {
  platformAdminToken: string;
  jwtSecret: string;
  payloadKeyId: string;
  payloadKey: string;
  /** Verifies the KYC provider's callbacks (Standard Webhooks, whsec_...). */
  kycWebhookSecret: string;
}

type Generated = Omit<Secrets, 'payloadKeyId'>;

function generate(): Generated {
  return {
    platformAdminToken: `pat_${randomBytes(24).toString('base64url')}`,
    jwtSecret: randomBytes(48).toString('base64url'),
    payloadKey: randomBytes(32).toString('base64'),
    kycWebhookSecret: `whsec_${randomBytes(32).toString('base64')}`,
  };
}

function loadOrCreateDevSecrets(dataDir: string): Generated {
  const file = join(dataDir, 'dev-secrets.json');
  let saved: Partial<Generated> = {};
  try {
    saved = JSON.parse(readFileSync(file, 'utf8')) as Partial<Generated>;
  } catch {
    // First start: nothing saved yet.
  }
  // Keep what was saved (tokens and encrypted histories depend on it); add secrets newer versions need.
  const secrets = { ...generate(), ...saved };
  if (Object.keys(secrets).length !== Object.keys(saved).length) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  return secrets;
}

export function resolveSecrets(config: Config): Secrets {
  const given = {
    platformAdminToken: config.PLATFORM_ADMIN_TOKEN,
    jwtSecret: config.JWT_SECRET,
    payloadKey: config.PAYLOAD_ENCRYPTION_KEY,
    kycWebhookSecret: config.KYC_WEBHOOK_SECRET,
  };
  const needsDefaults = Object.values(given).some((value) => value === undefined);
  const defaults = needsDefaults ? loadOrCreateDevSecrets(config.DATA_DIR) : undefined;
  return {
    platformAdminToken: given.platformAdminToken ?? defaults!.platformAdminToken,
    jwtSecret: given.jwtSecret ?? defaults!.jwtSecret,
    payloadKey: given.payloadKey ?? defaults!.payloadKey,
    kycWebhookSecret: given.kycWebhookSecret ?? defaults!.kycWebhookSecret,
    payloadKeyId: config.PAYLOAD_ENCRYPTION_KEY_ID,
  };
}
