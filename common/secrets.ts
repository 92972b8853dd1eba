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
}

type Generated = Omit<Secrets, 'payloadKeyId'>;

function generate(): Generated {
  return {
    platformAdminToken: `pat_${randomBytes(24).toString('base64url')}`,
    jwtSecret: randomBytes(48).toString('base64url'),
    payloadKey: randomBytes(32).toString('base64'),
  };
}

function loadOrCreateDevSecrets(dataDir: string): Generated {
  const file = join(dataDir, 'dev-secrets.json');
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Generated;
  } catch {
    const secrets = generate();
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
    return secrets;
  }
}

export function resolveSecrets(config: Config): Secrets {
  const given = {
    platformAdminToken: config.PLATFORM_ADMIN_TOKEN,
    jwtSecret: config.JWT_SECRET,
    payloadKey: config.PAYLOAD_ENCRYPTION_KEY,
  };
  const needsDefaults = Object.values(given).some((value) => value === undefined);
  const defaults = needsDefaults ? loadOrCreateDevSecrets(config.DATA_DIR) : undefined;
  return {
    platformAdminToken: given.platformAdminToken ?? defaults!.platformAdminToken,
    jwtSecret: given.jwtSecret ?? defaults!.jwtSecret,
    payloadKey: given.payloadKey ?? defaults!.payloadKey,
    payloadKeyId: config.PAYLOAD_ENCRYPTION_KEY_ID,
  };
}
