/**
 * Column-level encryption for values that must not sit in plain text in the database (tax ids). AES-256-GCM
 * under a key derived per purpose from each payload key, so the payload keyring rotates these too: new values
 * are written under the active key, and a value names the key id it was written under, so older ones still read.
 * Each value is bound to its row (`context`, e.g. tenant and customer): a ciphertext copied to another row fails.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { payloadKeyring, type Secrets } from './secrets';

const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface FieldCipher {
  /** `<key id>:<base64url(iv | ciphertext | tag)>` */
  encrypt(plain: string, context: string): string;
  decrypt(stored: string, context: string): string;
}

export function fieldCipherFor(secrets: Secrets, purpose: string): FieldCipher {
  const keys = new Map(
    Object.entries(payloadKeyring(secrets)).map(([id, key]) => [id, Buffer.from(hkdfSync('sha256', key, '', `field:${purpose}`, 32))]),
  );
  const activeId = secrets.payloadKeyId;
  return {
    encrypt(plain, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', keys.get(activeId)!, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.from(context));
      const sealed = Buffer.concat([iv, cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return `${activeId}:${sealed.toString('base64url')}`;
    },
    decrypt(stored, context) {
      const separator = stored.lastIndexOf(':');
      const key = keys.get(stored.slice(0, separator));
      if (separator < 0 || !key) throw new Error('Cannot decrypt field: unknown key id');
      const sealed = Buffer.from(stored.slice(separator + 1), 'base64url');
      if (sealed.length < IV_BYTES + TAG_BYTES) throw new Error('Cannot decrypt field: too short');
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
      return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    },
  };
}
