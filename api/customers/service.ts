/**
 * Reads of the `customers` row every customer has (an individual, or an organization with its representative's
 * person columns), and the staff status changes made after activation. The rows are created by the onboarding
 * workflows' registration activities; see "Data ownership" in the README.
 */
import type { Knex } from '../../common/db';
import type { CustomerStatus, CustomerType } from '../../common/statuses';
import type { ProfileDetails } from '../../common/onboarding-contract';
import { NotFoundError } from '../http/errors';
import type { WebhookWake } from '../webhooks/outbox';
import { changeStatusByStaff } from './staff-status';

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

/**
 * The customer row joined with its profile, which an individual registered through v2 has from the start (a v1 or
 * v2.1 registration has none until the profile step). api/profiles/view.ts shapes it for the tenant.
 */
export type CustomerWithProfile = Omit<CustomerRow, 'marketing_consent'> & {
  category: string | null;
  profile: null | {
    dateOfBirth: string;
    nationality: string;
    countryOfResidence: string;
    address: ProfileDetails['address'];
    /** Masked when stored: reading them never decrypts anything. */
    taxIdsMasked: unknown;
    /** The rest of a v2 registration payload as given (without tax ids); null for v1 and v2.1 registrations. */
    details: Record<string, unknown> | null;
  };
};

export function createCustomerService(db: Knex, webhookWake: WebhookWake) {
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

    async getWithProfile(tenantId: string, customerId: string): Promise<CustomerWithProfile> {
      const row = await db('customers as c')
        .leftJoin('customer_profiles as p', 'p.customer_id', 'c.id')
        .where({ 'c.tenant_id': tenantId, 'c.id': customerId })
        .first('c.id', 'c.type', 'c.email', 'c.first_name', 'c.last_name', 'c.phone', 'c.status', 'c.category', 'c.created_at', 'c.updated_at',
          'p.date_of_birth', 'p.nationality', 'p.country_of_residence', 'p.address', 'p.tax_ids_masked', 'p.details');
      if (!row) throw new NotFoundError('Customer not found');
      const { date_of_birth, nationality, country_of_residence, address, tax_ids_masked, details, ...customer } = row;
      return {
        ...customer,
        profile: date_of_birth
          ? { dateOfBirth: date_of_birth, nationality, countryOfResidence: country_of_residence, address, taxIdsMasked: tax_ids_masked, details }
          : null,
      };
    },

    /** One page of the tenant's customers in `status`, newest first, and how many there are in all. */
    async listByStatus(tenantId: string, status: string, page: { page: number; pageSize: number }) {
      const where = { tenant_id: tenantId, status };
      const [rows, [{ count }]] = await Promise.all([
        db('customers').where(where).orderBy([{ column: 'created_at', order: 'desc' }, 'id']).limit(page.pageSize).offset((page.page - 1) * page.pageSize)
          .select<Array<Pick<CustomerRow, 'id' | 'email' | 'first_name' | 'last_name' | 'status' | 'created_at'>>>('id', 'email', 'first_name', 'last_name', 'status', 'created_at'),
        db('customers').where(where).count<{ count: string }[]>({ count: '*' }),
      ]);
      return { rows, total: Number(count) };
    },

    /** A tenant's staff change after activation (see staff-status.ts for the transitions). */
    changeStatusByStaff: (input: { tenantId: string; customerId: string; target: string; type?: CustomerType; actor: string }) => changeStatusByStaff({ db, webhookWake }, input),
  };
}

export type CustomerService = ReturnType<typeof createCustomerService>;

/**
 * Customers of `type` in MANUAL_REVIEW, each with when and why it entered that status (its newest MANUAL_REVIEW
 * history row), as a subquery (tenant_id, customer_id, since, reason) for the review queue's one paged query.
 */
export function customersInManualReview(db: Knex, type: CustomerType): Knex.QueryBuilder {
  return db('customers as c')
    .joinRaw(
      `left join lateral (select h.created_at, h.reason from customer_status_history h
         where h.tenant_id = c.tenant_id and h.customer_id = c.id and h.status = 'MANUAL_REVIEW' order by h.id desc limit 1) h on true`,
    )
    .where({ 'c.type': type, 'c.status': 'MANUAL_REVIEW' })
    .select('c.tenant_id', 'c.id as customer_id', db.raw('coalesce(h.created_at, c.updated_at) as since'), db.raw("coalesce(h.reason, 'MANUAL_REVIEW') as reason"));
}
