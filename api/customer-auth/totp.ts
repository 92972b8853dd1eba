/**
 * A customer's optional TOTP second factor: enrolment (URI + QR, confirmed with a first code, which turns it on
 * and hands out the recovery codes once), the check a challenged login needs, and turning it off with a code.
 * The secret is sealed and bound to its row. Owns `customer_totp`.
 */
import type { Knex } from '../../common/db';
import type { FieldCipher } from '../../common/field-encryption';
import { acceptedTotpStep, newRecoveryCodes, newTotpEnrolment, recoveryCodeDigest } from '../auth/totp';
import { ConflictError, ValidationError } from '../http/errors';

interface TotpRow {
  secret_encrypted: string;
  last_step: string | null;
  enabled_at: Date | null;
}

const ISSUER = 'Onboarding';
/** The field-encryption purpose the secrets are sealed under. */
export const CUSTOMER_TOTP_PURPOSE = 'customer-totp';

export function createCustomerTotp(db: Knex, cipher: FieldCipher) {
  const context = (tenantId: string, customerId: string) => `customer-totp:${tenantId}:${customerId}`;
  const rowOf = (tenantId: string, customerId: string) =>
    db('customer_totp').where({ tenant_id: tenantId, customer_id: customerId }).first<TotpRow | undefined>();

  /** A TOTP code (6 digits, each time step once) or an unused recovery code (then spent). */
  async function consume(tenantId: string, customerId: string, row: TotpRow, code: string): Promise<boolean> {
    const where = { tenant_id: tenantId, customer_id: customerId };
    const given = code.trim();
    if (/^\d{6}$/.test(given)) {
      const secret = cipher.decrypt(row.secret_encrypted, context(tenantId, customerId));
      const step = acceptedTotpStep(secret, given, row.last_step === null ? null : Number(row.last_step));
      if (step === undefined) return false;
      // Conditional, so two requests racing with the same code cannot both pass.
      const moved = await db('customer_totp').where(where).andWhere((q) => q.whereNull('last_step').orWhere('last_step', '<', step)).update({ last_step: step });
      return moved === 1;
    }
    const digest = recoveryCodeDigest(given);
    const spent = await db('customer_totp')
      .where(where)
      .whereRaw('? = any(recovery_code_digests)', [digest])
      .update({ recovery_code_digests: db.raw('array_remove(recovery_code_digests, ?)', [digest]) });
    return spent === 1;
  }

  return {
    async enabled(tenantId: string, customerId: string): Promise<boolean> {
      return !!(await rowOf(tenantId, customerId))?.enabled_at;
    },

    /** Starts (or restarts) enrolment; refused while 2FA is on. */
    async enrol(tenantId: string, customerId: string, label: string) {
      if ((await rowOf(tenantId, customerId))?.enabled_at) throw new ConflictError('Two-factor authentication is already on');
      const enrolment = await newTotpEnrolment(label, ISSUER);
      await db('customer_totp')
        .insert({ tenant_id: tenantId, customer_id: customerId, secret_encrypted: cipher.encrypt(enrolment.secret, context(tenantId, customerId)) })
        .onConflict(['tenant_id', 'customer_id'])
        .merge({ secret_encrypted: cipher.encrypt(enrolment.secret, context(tenantId, customerId)), last_step: null, recovery_code_digests: [] });
      return enrolment;
    },

    /** The first code turns 2FA on; the recovery codes are shown this once. */
    async confirm(tenantId: string, customerId: string, code: string): Promise<{ recoveryCodes: string[] }> {
      const row = await rowOf(tenantId, customerId);
      if (!row || row.enabled_at) throw new ConflictError('No two-factor enrolment is pending');
      if (!/^\d{6}$/.test(code.trim()) || !(await consume(tenantId, customerId, row, code))) throw wrongCode();
      const { codes, digests } = newRecoveryCodes();
      await db('customer_totp').where({ tenant_id: tenantId, customer_id: customerId }).update({ enabled_at: db.fn.now(), recovery_code_digests: digests });
      return { recoveryCodes: codes };
    },

    /** A challenged login's second factor: true when the code is right (and spends it). */
    async verify(tenantId: string, customerId: string, code: string): Promise<boolean> {
      const row = await rowOf(tenantId, customerId);
      return !!row?.enabled_at && (await consume(tenantId, customerId, row, code));
    },

    async disable(tenantId: string, customerId: string, code: string): Promise<void> {
      const row = await rowOf(tenantId, customerId);
      if (!row?.enabled_at) throw new ConflictError('Two-factor authentication is not on');
      if (!(await consume(tenantId, customerId, row, code))) throw wrongCode();
      await db('customer_totp').where({ tenant_id: tenantId, customer_id: customerId }).del();
    },
  };
}

export type CustomerTotp = ReturnType<typeof createCustomerTotp>;

function wrongCode() {
  return new ValidationError([{ field: 'code', message: 'The code is not correct' }], 'Verification failed');
}
