/**
 * What PostgreSQL knows about one onboarding, for operators: status changes, e-mails and SMS sent (templates and
 * times, never addresses or bodies), KYC and KYB checks. Reads only; each query names the tenant.
 */
import type { Knex } from '../../common/db';
import { NotFoundError } from '../http/errors';

export interface RecordLine {
  at: Date;
  source: 'status' | 'email' | 'sms' | 'kyc' | 'kyb';
  event: string;
  detail: string;
}

export interface CustomerFacts {
  tenantId: string;
  customerId: string;
  customerType: string;
  status: string;
  createdAt: Date;
}

const line = (at: Date | string, source: RecordLine['source'], event: string, detail = ''): RecordLine => ({ at: new Date(at), source, event, detail });

export function createOperationsRecords(db: Knex) {
  return {
    /** The customer's tenant, type and status; `tenantId` given: only within it (another tenant's answers 404). */
    async customer(customerId: string, tenantId?: string): Promise<CustomerFacts> {
      const row = await db('customers')
        .where({ id: customerId, ...(tenantId ? { tenant_id: tenantId } : {}) })
        .first<{ tenant_id: string; type: string; status: string; created_at: Date } | undefined>('tenant_id', 'type', 'status', 'created_at');
      if (!row) throw new NotFoundError('Customer not found');
      return { tenantId: row.tenant_id, customerId, customerType: row.type, status: row.status, createdAt: new Date(row.created_at) };
    },

    /** When each customer's status last changed (the onboarding's last progress), by customer id. */
    async lastStatusChanges(tenantId: string, customerIds: string[]): Promise<Map<string, Date>> {
      if (customerIds.length === 0) return new Map();
      const rows = await db('customer_status_history')
        .where({ tenant_id: tenantId })
        .whereIn('customer_id', customerIds)
        .groupBy('customer_id')
        .select<{ customer_id: string; at: Date }[]>('customer_id', db.raw('max(created_at) as at'));
      return new Map(rows.map((row) => [row.customer_id, new Date(row.at)]));
    },

    async lines(tenantId: string, customerId: string): Promise<RecordLine[]> {
      const where = { tenant_id: tenantId, customer_id: customerId };
      const [statuses, emails, sms, kyc, kyb] = await Promise.all([
        db('customer_status_history').where(where).orderBy('id').select('status', 'reason', 'actor', 'created_at'),
        db('outbound_emails').where(where).orderBy('id').select('template', 'created_at', 'sent_at'),
        db('outbound_sms').where(where).orderBy('id').select('template', 'created_at', 'sent_at'),
        db('kyc_verifications').where(where).orderBy('created_at').select('id', 'provider', 'status', 'reason', 'reviewer', 'subject_type', 'created_at', 'decided_at'),
        db('kyb_verifications').where(where).orderBy('created_at').select('id', 'provider', 'status', 'reason', 'reviewer', 'created_at', 'decided_at'),
      ]);
      const checks = (source: 'kyc' | 'kyb', rows: typeof kyc) =>
        rows.flatMap((row) => [
          line(row.created_at, source, 'CHECK_OPENED', `${row.id} with ${row.provider}${row.subject_type ? ` (${row.subject_type})` : ''}`),
          ...(row.decided_at ? [line(row.decided_at, source, `CHECK_${row.status}`, [row.reason, row.reviewer && `by ${row.reviewer}`].filter(Boolean).join(' '))] : []),
        ]);
      return [
        ...statuses.map((row) => line(row.created_at, 'status', row.status, [row.reason, row.actor && `by ${row.actor}`].filter(Boolean).join(' '))),
        ...emails.map((row) => line(row.sent_at ?? row.created_at, 'email', row.sent_at ? 'SENT' : 'CLAIMED_NOT_SENT', row.template)),
        ...sms.map((row) => line(row.sent_at ?? row.created_at, 'sms', row.sent_at ? 'SENT' : 'CLAIMED_NOT_SENT', row.template)),
        ...checks('kyc', kyc),
        ...checks('kyb', kyb),
      ];
    },
  };
}

export type OperationsRecords = ReturnType<typeof createOperationsRecords>;
