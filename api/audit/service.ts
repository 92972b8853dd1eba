/**
 * Reading the audit trail: the staff view (every tenant, every field, with the chain's hashes) and a tenant's view
 * of its own rows. A tenant sees who acted on its objects, but staff members only under a pseudonym (an HMAC of
 * the staff id, keyed per tenant: stable within a tenant, so one officer's actions can be told apart, and neither
 * reversible nor comparable across tenants) and without their IP address; the hashes are left out, since a
 * tenant's rows are not a contiguous chain it could check.
 */
import { createHmac } from 'node:crypto';
import type { AuditRow } from './chain';
import type { AuditFilters, AuditTrail } from './trail';

export interface AuditEventView {
  id: string;
  occurredAt: string;
  actor: { type: string; id: string };
  action: string;
  target: { type: string; id: string } | null;
  tenantId: string | null;
  requestId: string;
  ip: string | null;
  status: number;
  changes: AuditRow['changes'];
  prevHash?: string;
  hash?: string;
}

export interface AuditPage {
  data: AuditEventView[];
  nextCursor: string | null;
}

export type AuditQuery = Omit<AuditFilters, 'before' | 'tenantId'> & { cursor?: string };

export function createAuditService(trail: AuditTrail, pseudonymKey: Buffer) {
  const pseudonym = (tenantId: string, row: AuditRow) =>
    `staff_${createHmac('sha256', pseudonymKey).update(`audit-actor\0${tenantId}\0${row.actorType}\0${row.actorId}`).digest('hex').slice(0, 20)}`;

  async function page(filters: AuditFilters, view: (row: AuditRow) => AuditEventView): Promise<AuditPage> {
    const rows = await trail.list(filters);
    return { data: rows.map(view), nextCursor: rows.length === filters.limit ? String(rows.at(-1)!.id) : null };
  }

  return {
    forStaff(query: AuditQuery & { tenantId?: string }): Promise<AuditPage> {
      return page(filtersOf(query), (row) => ({ ...viewOf(row), prevHash: row.prevHash, hash: row.hash }));
    },

    /** Only rows of `tenantId`, whatever the filters say. */
    forTenant(tenantId: string, query: AuditQuery): Promise<AuditPage> {
      return page({ ...filtersOf(query), tenantId }, (row) => {
        const view = viewOf(row);
        const internal = row.actorType === 'staff' || row.actorType === 'platform';
        return internal ? { ...view, actor: { type: row.actorType, id: pseudonym(tenantId, row) }, ip: null } : view;
      });
    },
  };
}

function filtersOf(query: AuditQuery & { tenantId?: string }): AuditFilters {
  const { cursor, ...rest } = query;
  return { ...rest, before: cursor === undefined ? undefined : Number(cursor) };
}

function viewOf(row: AuditRow): AuditEventView {
  return {
    id: String(row.id),
    occurredAt: row.occurredAt.toISOString(),
    actor: { type: row.actorType, id: row.actorId },
    action: row.action,
    target: row.targetType && row.targetId ? { type: row.targetType, id: row.targetId } : null,
    tenantId: row.tenantId,
    requestId: row.requestId,
    ip: row.ip,
    status: row.status,
    changes: row.changes,
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
