import type { Knex } from '../../common/db';
import type { CustomerStatus, CustomerType } from '../../common/statuses';
import { NotFoundError } from '../http/errors';

interface CustomerRow {
  id: string;
  type: CustomerType;
  email: string;
  first_name: string;
  last_name: string;
  phone: string | null;
  status: CustomerStatus;
  marketing_consent: boolean;
  created_at: Date;
  updated_at: Date;
}

export function createCustomerService(db: Knex) {
  return {
    /** A tenant's customer; another tenant's customer is indistinguishable from a missing one. */
    async get(tenantId: string, customerId: string) {
      const row = await db('customers').where({ tenant_id: tenantId, id: customerId }).first<CustomerRow | undefined>();
      if (!row) throw new NotFoundError('Customer not found');
      return {
        customerId: row.id,
        customerType: row.type,
        email: row.email,
        firstName: row.first_name,
        lastName: row.last_name,
        phone: row.phone,
        status: row.status,
        marketingConsent: row.marketing_consent,
        createdAt: row.created_at.toISOString(),
        updatedAt: row.updated_at.toISOString(),
      };
    },
  };
}
