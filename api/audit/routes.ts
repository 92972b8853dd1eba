import { z } from '../http/openapi';
import { mountRoute, type Mount } from '../http/route';
import { tenantOf } from '../auth/guards';
import type { AuditService } from './service';

const actorTypes = ['tenant', 'customer', 'staff', 'platform'] as const;
const text = (max: number) => z.string().trim().min(1).max(max);

/** The filters both views take; every one narrows the page (they combine with AND). */
const filters = {
  actorType: z.enum(actorTypes).optional(),
  actorId: text(200).optional().openapi({ description: 'On the tenant view, staff actors are matched by their real id, which the tenant does not see: use actorType' }),
  targetType: z.string().regex(/^[a-z_]{1,40}$/, 'Must be lowercase letters and underscores').optional().openapi({ example: 'customer' }),
  targetId: text(128).optional(),
  action: text(300).optional().openapi({ example: 'POST /api/v2.1/customer/individual/registration' }),
  from: z.iso.datetime({ offset: true }).optional().openapi({ description: 'Inclusive lower bound of the time' }),
  to: z.iso.datetime({ offset: true }).optional().openapi({ description: 'Exclusive upper bound of the time' }),
  cursor: z.string().regex(/^[1-9][0-9]{0,15}$/, 'Must be a nextCursor from a previous page').optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
};

const auditEvent = z
  .object({
    id: z.string(),
    occurredAt: z.iso.datetime(),
    actor: z.object({ type: z.enum(actorTypes), id: z.string() }),
    action: z.string().openapi({ description: 'Method and path template of the call' }),
    target: z.object({ type: z.string(), id: z.string() }).nullable(),
    tenantId: z.string().nullable(),
    requestId: z.string(),
    ip: z.string().nullable(),
    status: z.number().int().openapi({ description: 'The HTTP status the call was answered with' }),
    changes: z.object({
      fields: z.array(z.string()).openapi({ description: 'Names of the fields the request body carried' }),
      values: z.record(z.string(), z.union([z.string(), z.array(z.string())])).openapi({ description: 'Values of enumeration fields only (status, decision, tier, roles …)' }),
    }),
    prevHash: z.string().optional().openapi({ description: 'Staff view only: the previous row\'s hash' }),
    hash: z.string().optional().openapi({ description: 'Staff view only: SHA-256 over this row and prevHash' }),
  })
  .openapi('AuditEvent');

const auditPage = z
  .object({ data: z.array(auditEvent), nextCursor: z.string().nullable().openapi({ description: 'Pass as cursor for the next (older) page; null on the last' }) })
  .openapi('AuditPage');

const dates = <T extends { from?: string; to?: string }>(q: T) => ({ ...q, from: q.from ? new Date(q.from) : undefined, to: q.to ? new Date(q.to) : undefined });

export function mountAuditRoutes(mount: Mount, audit: AuditService) {
  mountRoute(mount, {
    method: 'get',
    path: '/api/v2.1/admin/audit',
    summary: 'The audit trail: every state-changing call, newest first',
    tag: 'Platform administration',
    security: 'staff',
    roles: ['AUDITOR', 'PLATFORM_ADMIN'],
    query: z.strictObject({ tenantId: text(128).optional(), ...filters }),
    responses: {
      200: { description: 'A page of audit events', schema: auditPage },
      400: { description: 'Invalid filter' },
      401: { description: 'Missing or invalid staff session' },
      403: { description: 'The staff member is neither AUDITOR nor PLATFORM_ADMIN' },
    },
    handler: async ({ query }) => ({ status: 200, body: await audit.forStaff(dates(query)) }),
  });

  mountRoute(mount, {
    method: 'get',
    path: '/api/v2.1/audit',
    summary: 'The calling tenant\'s own audit trail (staff shown under a pseudonym), newest first',
    tag: 'Audit',
    security: 'tenant',
    capability: ['SCT01', 'SCT02'],
    query: z.strictObject(filters),
    responses: {
      200: { description: 'A page of this tenant\'s audit events', schema: auditPage },
      400: { description: 'Invalid filter' },
      401: { description: 'Missing or invalid access token' },
      403: { description: 'X-Tenant-ID is not the token\'s tenant, or the tenant lacks the capability' },
    },
    handler: async ({ query, req }) => ({ status: 200, body: await audit.forTenant(tenantOf(req), dates(query)) }),
  });
}
