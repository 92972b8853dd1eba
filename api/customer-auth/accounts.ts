/**
 * The customer a login or a reset names: an individual of the tenant with that e-mail address (any letter case).
 * Reads `customers`; the one write is the password hash, which only this feature sets after registration.
 */
import type { Knex } from '../../common/db';

export interface AccountRow {
  id: string;
  password_hash: string | null;
  status: string;
}

/** Statuses in which a customer may not sign in (staff closed or blocked the account). */
export const SIGN_IN_REFUSED = ['BLOCKED', 'CLOSED'];

export function createCustomerAccounts(db: Knex) {
  return {
    async tenantExists(tenantId: string): Promise<boolean> {
      return !!(await db('tenants').where({ id: tenantId }).first('id'));
    },

    async byEmail(tenantId: string, email: string): Promise<AccountRow | undefined> {
      return db('customers')
        .where({ tenant_id: tenantId, type: 'INDIVIDUAL' })
        .whereRaw('lower(email) = lower(?)', [email.trim()])
        .first<AccountRow | undefined>('id', 'password_hash', 'status');
    },

    maySignIn: (account: AccountRow) => !SIGN_IN_REFUSED.includes(account.status),

    async email(tenantId: string, customerId: string): Promise<string> {
      const row = await db('customers').where({ tenant_id: tenantId, id: customerId }).first<{ email: string }>('email');
      return row.email;
    },

    async setPasswordHash(trx: Knex, tenantId: string, customerId: string, passwordHash: string): Promise<void> {
      await trx('customers').where({ tenant_id: tenantId, id: customerId }).update({ password_hash: passwordHash, updated_at: trx.fn.now() });
    },
  };
}

export type CustomerAccounts = ReturnType<typeof createCustomerAccounts>;
