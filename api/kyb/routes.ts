/** Compliance staff's decision on an organization's KYB in manual review; who decided is the session's staff member. */
import { actorLabel, actorOf } from '../auth/actor';
import { mountRoute, type Mount } from '../http/route';
import { kybDecisionBody, kybDecisionResponse, organizationParams } from './schemas';
import type { KybService } from './service';
import { fourEyesResponses } from '../review/decision-responses';
import type { FourEyes } from '../review/four-eyes';

export function mountKybAdminRoutes(mount: Mount, kyb: KybService, fourEyes: FourEyes) {
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
      200: { description: 'Decision recorded (the signed-in staff member as reviewer, the credential, time, reason); KYB ended', schema: kybDecisionResponse },
      400: { description: 'Invalid input (a body naming a reviewer is refused: the reviewer is the session\'s staff member)' },
      401: { description: 'Missing or invalid platform admin token' },
      ...fourEyesResponses('the KYB is not in manual review'),
      404: { description: 'No such organization' },
    },
    handler: async ({ params, body, req }) =>
      fourEyes.decide(req, { caseType: 'ORGANIZATION', subjectId: params.organizationId, decisionKind: 'KYB', ...body }, async (reason) => {
        const tenantId = await kyb.tenantOfOrganization(params.organizationId);
        // Who decided (the session's staff member) and with which credential; neither comes from the body.
        const reviewer = actorLabel(actorOf(req));
        const snapshot = await kyb.decide(tenantId, params.organizationId, { ...body, reason, reviewer, decidedBy: req.credentialId ?? reviewer });
        return { status: 200, body: { organizationId: params.organizationId, verificationId: snapshot.verificationId, kybStatus: snapshot.status } };
      }),
  });
}
