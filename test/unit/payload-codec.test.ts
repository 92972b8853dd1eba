import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import { parseConfig } from '../../common/config';
import { EncryptionCodec } from '../../common/payload-codec';
import { resolveSecrets } from '../../common/secrets';
import { payloadCodecFor } from '../../common/temporal';

/** Every secret but the payload keys, so resolveSecrets reads no dev-secrets file. */
const DEV_SECRETS = {
  PLATFORM_ADMIN_TOKEN: 'x'.repeat(32),
  JWT_SECRET: 'y'.repeat(48),
  KYC_WEBHOOK_SECRET: 'whsec_c2VjcmV0',
};

const key = randomBytes(32);
const codec = new EncryptionCodec('k1', { k1: key });
const payload = defaultPayloadConverter.toPayload({ email: 'maria.garcia@example.com', passwordHash: '$argon2id$secret' });

describe('payload encryption codec', () => {
  it('round-trips a payload and hides its content', async () => {
    const [encrypted] = await codec.encode([payload]);
    expect(Buffer.from(encrypted.data!).toString('latin1')).not.toContain('maria.garcia');
    expect(Buffer.from(encrypted.metadata!.encoding!).toString()).toBe('binary/encrypted');
    const [decrypted] = await codec.decode([encrypted]);
    expect(defaultPayloadConverter.fromPayload(decrypted)).toEqual({ email: 'maria.garcia@example.com', passwordHash: '$argon2id$secret' });
  });

  it('uses a fresh IV, so equal payloads encrypt differently', async () => {
    const [a, b] = await codec.encode([payload, payload]);
    expect(Buffer.from(a.data!).equals(Buffer.from(b.data!))).toBe(false);
  });

  it('rejects tampered ciphertext', async () => {
    const [encrypted] = await codec.encode([payload]);
    const data = Buffer.from(encrypted.data!);
    data[20] ^= 0xff;
    await expect(codec.decode([{ ...encrypted, data }])).rejects.toThrow();
  });

  it('reads histories written under an older key after a rotation', async () => {
    const [old] = await codec.encode([payload]);
    const rotated = new EncryptionCodec('k2', { k2: randomBytes(32), k1: key });
    const [decrypted] = await rotated.decode([old]);
    expect(defaultPayloadConverter.fromPayload(decrypted)).toMatchObject({ email: 'maria.garcia@example.com' });
    await expect(new EncryptionCodec('k3', { k3: randomBytes(32) }).decode([old])).rejects.toThrow(/unknown key id "k1"/);
  });

  it('decodes a payload encrypted under k1 once the keyring rotates to k2-active', async () => {
    const k1 = randomBytes(32).toString('base64');
    const k2 = randomBytes(32).toString('base64');
    const before = payloadCodecFor(resolveSecrets(parseConfig({ ...DEV_SECRETS, PAYLOAD_ENCRYPTION_KEYS: `k1:${k1}` })));
    const after = payloadCodecFor(resolveSecrets(parseConfig({ ...DEV_SECRETS, PAYLOAD_ENCRYPTION_KEYS: `k2:${k2},k1:${k1}` })));
    const [old] = await before.encode([payload]);
    expect(defaultPayloadConverter.fromPayload((await after.decode([old]))[0])).toMatchObject({ email: 'maria.garcia@example.com' });
    const [fresh] = await after.encode([payload]);
    expect(Buffer.from(fresh.metadata!['encryption-key-id']!).toString()).toBe('k2');
  });

  it('refuses a truncated tag and a payload too short to hold one', async () => {
    const [encrypted] = await codec.encode([payload]);
    const data = Buffer.from(encrypted.data!);
    await expect(codec.decode([{ ...encrypted, data: data.subarray(0, data.length - 4) }])).rejects.toThrow();
    await expect(codec.decode([{ ...encrypted, data: data.subarray(0, 20) }])).rejects.toThrow(/too short/);
  });

  it('passes unencrypted payloads through untouched', async () => {
    expect(await codec.decode([payload])).toEqual([payload]);
  });
});
