/**
 * Webhook signing secrets at rest: sealed with the field cipher under their own purpose, each bound to its
 * subscription (a sealed secret copied to another row does not open). The API seals a new or rotated secret; the
 * delivery activity opens the secrets that sign a message: the current one, and the previous one while its
 * rotation overlap lasts (Standard Webhooks carries several signatures in one header).
 */
import type { FieldCipher } from '../../common/field-encryption';

export const WEBHOOK_SECRET_PURPOSE = 'webhook-signing-secret';

export function secretContext(tenantId: string, subscriptionId: string): string {
  return `${tenantId}/${subscriptionId}`;
}

export interface SealedSecrets {
  tenant_id: string;
  id: string;
  secret_sealed: string;
  previous_secret_sealed: string | null;
  previous_secret_expires_at: Date | null;
}

/** The secrets that sign a message sent at `now`, current first. */
export function signingSecrets(row: SealedSecrets, cipher: FieldCipher, now: Date): string[] {
  const context = secretContext(row.tenant_id, row.id);
  const secrets = [cipher.decrypt(row.secret_sealed, context)];
  if (row.previous_secret_sealed && row.previous_secret_expires_at && row.previous_secret_expires_at > now) {
    secrets.push(cipher.decrypt(row.previous_secret_sealed, context));
  }
  return secrets;
}
