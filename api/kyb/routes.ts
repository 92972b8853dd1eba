/** Compliance staff's decision on an organization's KYB in manual review (platform admin token until staff roles). */
import { mountRoute, type Mount } from '../http/route';
import { kybDecisionBody, kybDecisionResponse, organizationParams } from './schemas';
import type { KybService } from './service';

export function mountKybAdminRoutes(mount: Mount, kyb: KybService) {
  mountRoute(mount, {
    method: 'post',
    path: '/api/v2.1/admin/organizations/{organizationId}/kyb-decision',
    summary: 'Record a compliance decision on a KYB check in manual review',
    tag: 'Platform administration',
    security: 'staff',
    roles: ['COMPLIANCE_OFFICER'],
    params: organizationParams,
    body: kybDecisionBody,
    responses: {
      200: { description: 'Decision recorded (reviewer, credential, time, reason); KYB ended', schema: kybDecisionResponse },
      400: { description: 'Invalid input' },
      401: { description: 'Missing or invalid platform admin token' },
      404: { description: 'No such organization' },
      409: { description: 'The KYB is not in manual review' },
    },
    handler: async ({ params, body, req }) => {
      const tenantId = await kyb.tenantOfOrganization(params.organizationId);
      // Who decided: the credential the request proved, beside the reviewer it names.
      const decidedBy = req.staffSubject ?? req.credentialId ?? 'unknown';
      const snapshot = await kyb.decide(tenantId, params.organizationId, { ...body, decidedBy });
      return { status: 200, body: { organizationId: params.organizationId, verificationId: snapshot.verificationId, kybStatus: snapshot.status } };
    },
  });
}
