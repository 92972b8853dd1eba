/**
 * The secrets every role needs. Production takes them from the environment (config refuses to start
 * without them). Development and tests generate them once and keep them under DATA_DIR, so tokens, encrypted
 * workflow histories and the printed admin token survive a restart of `npm start`.
 */
import { hkdfSync, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './config';

export interface Secrets {
  platformAdminToken: string;
  jwtSecret: string;
  /** The active payload key: it encrypts every new payload (and tax id). */
  payloadKeyId: string;
  payloadKey: string;
  /** Keys rotated out, by id (base64): they still decrypt what was written under them. */
  retiredPayloadKeys?: Record<string, string>;
  /** HMAC key for stored verification-code hashes (base64); absent in development, derived from the payload key. */
  codeHmacKey?: string;
  /** Verifies the KYC provider's callbacks (Standard Webhooks, whsec_...). */
  kycWebhookSecret: string;
  /** Verifies the KYB provider's callbacks (Standard Webhooks, whsec_...). */
  kybWebhookSecret: string;
}

type Generated = Omit<Secrets, 'payloadKeyId' | 'retiredPayloadKeys' | 'codeHmacKey'>;

function generate(): Generated {
  return {
    platformAdminToken: `pat_${randomBytes(24).toString('base64url')}`,
    jwtSecret: randomBytes(48).toString('base64url'),
    payloadKey: randomBytes(32).toString('base64'),
    kycWebhookSecret: `whsec_${randomBytes(32).toString('base64')}`,
    kybWebhookSecret: `whsec_${randomBytes(32).toString('base64')}`,
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
  const [activeKey, ...retiredKeys] = config.PAYLOAD_ENCRYPTION_KEYS ?? [];
  // A disabled platform token is never compared, so none need be given or generated.
  const given = {
    platformAdminToken: config.PLATFORM_ADMIN_TOKEN_ENABLED === 'false' ? '' : config.PLATFORM_ADMIN_TOKEN,
    jwtSecret: config.JWT_SECRET,
    payloadKey: activeKey?.key ?? config.PAYLOAD_ENCRYPTION_KEY,
    kycWebhookSecret: config.KYC_WEBHOOK_SECRET,
    kybWebhookSecret: config.KYB_WEBHOOK_SECRET,
  };
  const needsDefaults = Object.values(given).some((value) => value === undefined);
  const defaults = needsDefaults ? loadOrCreateDevSecrets(config.DATA_DIR) : undefined;
  return {
    platformAdminToken: given.platformAdminToken ?? defaults!.platformAdminToken,
    jwtSecret: given.jwtSecret ?? defaults!.jwtSecret,
    payloadKey: given.payloadKey ?? defaults!.payloadKey,
    kycWebhookSecret: given.kycWebhookSecret ?? defaults!.kycWebhookSecret,
    kybWebhookSecret: given.kybWebhookSecret ?? defaults!.kybWebhookSecret,
    payloadKeyId: activeKey?.id ?? config.PAYLOAD_ENCRYPTION_KEY_ID,
    ...(retiredKeys.length > 0 ? { retiredPayloadKeys: Object.fromEntries(retiredKeys.map(({ id, key }) => [id, key])) } : {}),
    ...(config.CODE_HMAC_KEY ? { codeHmacKey: config.CODE_HMAC_KEY } : {}),
  };
}

/** Every payload key by id, active first. */
export function payloadKeyring(secrets: Secrets): Record<string, Buffer> {
  const keys: Record<string, Buffer> = { [secrets.payloadKeyId]: Buffer.from(secrets.payloadKey, 'base64') };
  for (const [id, key] of Object.entries(secrets.retiredPayloadKeys ?? {})) keys[id] ??= Buffer.from(key, 'base64');
  return keys;
}

/**
 * The key verification codes are hashed with: CODE_HMAC_KEY when given (production requires it, so rotating the
 * payload key never invalidates codes in flight); otherwise one derived from the active payload key.
 */
export function codeHashKeyOf(secrets: Secrets): Buffer {
  if (secrets.codeHmacKey) return Buffer.from(secrets.codeHmacKey, 'base64');
  return Buffer.from(hkdfSync('sha256', Buffer.from(secrets.payloadKey, 'base64'), '', 'verification-codes', 32));
}
