/** Compliance staff's actions on an onboarding; who decided is the signed-in staff member, never the body. */
import { actorLabel, actorOf } from '../auth/actor';
import { z } from '../http/openapi';
import { mountRoute, type Mount } from '../http/route';
import { customerId } from '../schemas/params';
import type { IdentityService } from '../identity/service';
import { fourEyesResponses } from '../review/decision-responses';
import type { FourEyes } from '../review/four-eyes';
import type { OnboardingRecords } from './records';

const customerParams = z.object({ customerId });

export function mountAdminCustomerRoutes(mount: Mount, deps: { identity: IdentityService; records: OnboardingRecords; fourEyes: FourEyes }) {
  const { tenantOfCustomer, staffVerificationHistory } = deps.records;

  mountRoute(mount, {
    method: 'get',
    path: '/api/v2.1/admin/customers/{customerId}/verification-history',
    summary: "A customer's status changes and KYC verifications with every reason and reviewer (staff only)",
    tag: 'Platform administration',
    security: 'staff',
    roles: ['COMPLIANCE_OFFICER', 'OPERATOR', 'AUDITOR'],
    params: customerParams,
    responses: {
      200: { description: 'History, oldest first' },
      401: { description: 'Missing or invalid platform admin token' },
      404: { description: 'No such customer' },
    },
    handler: async ({ params }) => {
      const tenantId = await tenantOfCustomer(params.customerId);
      return { status: 200, body: { data: await staffVerificationHistory(tenantId, params.customerId) } };
    },
  });

  mountRoute(mount, {
    method: 'post',
    path: '/api/v2.1/admin/customers/{customerId}/kyc-decision',
    summary: 'Record a compliance decision on a KYC check in manual review',
    tag: 'Platform administration',
    security: 'staff',
    roles: ['COMPLIANCE_OFFICER'],
    params: customerParams,
    body: z.strictObject({
      decision: z.enum(['APPROVE', 'REJECT']),
      reason: z.string().trim().min(3, 'Give the reason for the decision').max(2000),
    }),
    responses: {
      200: { description: 'Decision recorded with the signed-in staff member as reviewer; the onboarding moved on' },
      ...fourEyesResponses('the customer is not in manual review'),
      400: { description: 'Invalid input (a body naming a reviewer is refused: the reviewer is the session\'s staff member)' },
      401: { description: 'Missing or invalid platform admin token' },
      404: { description: 'No such customer' },
    },
    handler: async ({ params, body, req }) =>
      deps.fourEyes.decide(req, { caseType: 'INDIVIDUAL', subjectId: params.customerId, decisionKind: 'KYC', ...body }, async (reason) => {
        // To the check's identity-verification child, or to the onboarding itself for executions from before it.
        const decision = { ...body, reason, reviewer: actorLabel(actorOf(req)) };
        const snapshot = await deps.identity.decideForCustomer(await tenantOfCustomer(params.customerId), params.customerId, decision);
        return { status: 200, body: { customerId: params.customerId, status: snapshot.status, due: snapshot.due } };
      }),
  });
}
