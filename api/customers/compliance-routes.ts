/**
 * Compliance officers block a customer (individual or organization) and lift their block; the officer is taken
 * from the session, never the body. Tenants cannot lift a compliance block (their status routes answer 409).
 */
import { actorOf } from '../auth/actor';
import { z } from '../http/openapi';
import { mountRoute, type Mount } from '../http/route';
import { subjectId } from '../schemas/params';
import type { ComplianceBlocks } from './compliance-blocks';

const params = z.object({ customerId: subjectId });
const body = z.strictObject({
  reason: z.string().trim().min(3, 'Give the reason').max(2000).openapi({ description: 'Why; recorded in the status history staff read' }),
});
const result = z
  .object({
    customerId: z.string(),
    customerType: z.enum(['INDIVIDUAL', 'ORGANIZATION']),
    status: z.string(),
    blockedBy: z.enum(['TENANT', 'COMPLIANCE']).nullable().openapi({ description: 'Whose block a BLOCKED customer is under' }),
  })
  .openapi('ComplianceBlock');

const errors = {
  400: { description: 'Invalid input: a reason is required; any other field (a reviewer, an actor) is refused' },
  401: { description: 'Missing or invalid staff credential' },
  404: { description: 'No such customer' },
};

export function mountComplianceBlockRoutes(mount: Mount, blocks: ComplianceBlocks) {
  mountRoute(mount, {
    method: 'post',
    path: '/api/v2.1/admin/customers/{customerId}/block',
    summary: 'Block a customer for compliance (only a compliance officer lifts it; the tenant cannot)',
    tag: 'Platform administration',
    security: 'staff',
    roles: ['COMPLIANCE_OFFICER'],
    params,
    body,
    responses: {
      200: { description: 'BLOCKED by COMPLIANCE; the status history names the officer and the reason', schema: result },
      ...errors,
      409: { description: 'Already blocked by compliance, or not ACTIVE, SUSPENDED or BLOCKED (still onboarding, or ended): INVALID_STATE' },
    },
    handler: async ({ params, body, req }) => ({ status: 200, body: await blocks.block(params.customerId, body.reason, actorOf(req)) }),
  });

  mountRoute(mount, {
    method: 'post',
    path: '/api/v2.1/admin/customers/{customerId}/unblock',
    summary: "Lift compliance's block: the customer is ACTIVE again",
    tag: 'Platform administration',
    security: 'staff',
    roles: ['COMPLIANCE_OFFICER'],
    params,
    body,
    responses: {
      200: { description: 'ACTIVE; the status history names the officer and the reason', schema: result },
      ...errors,
      409: { description: "Not blocked by compliance (a tenant's own block is the tenant's to lift): INVALID_STATE" },
    },
    handler: async ({ params, body, req }) => ({ status: 200, body: await blocks.unblock(params.customerId, body.reason, actorOf(req)) }),
  });
}
