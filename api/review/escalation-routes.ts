/** Escalating a back-office case to a second reviewer, and declining a case's open proposal (compliance officers). */
import { actorOf } from '../auth/actor';
import { z } from '../http/openapi';
import { mountRoute, type Mount } from '../http/route';
import type { Escalations } from './escalations';
import { caseParams, escalationBody, proposalSchema } from './schemas';

const TAG = 'Compliance back office';

const declineBody = z.strictObject({ reason: z.string().trim().min(3, 'Give the reason for declining').max(2000) });

const declined = z.object({ outcome: z.literal('DECLINED'), proposal: proposalSchema }).openapi('DeclinedProposal');

const staffErrors = {
  400: { description: 'Invalid input (the reason is required)' },
  401: { description: 'Missing or invalid staff session' },
  403: { description: 'Not a compliance officer' },
};

export function mountEscalationRoutes(mount: Mount, escalations: Escalations) {
  mountRoute(mount, {
    method: 'post',
    path: '/api/v2.1/admin/cases/{caseType}/{subjectId}/escalation',
    summary: 'Escalate a case to a second reviewer: the escalating reviewer may no longer decide it',
    tag: TAG,
    security: 'staff',
    roles: ['COMPLIANCE_OFFICER'],
    params: caseParams,
    body: escalationBody,
    responses: {
      201: { description: 'Escalated: an ESCALATION proposal (decision null) is open on the case', schema: proposalSchema },
      ...staffErrors,
      404: { description: 'No such case waiting on staff' },
      409: { description: 'CASE_CLAIMED: another reviewer holds a live claim; PROPOSAL_PENDING: the case has an open proposal' },
    },
    handler: async ({ params, body, req }) => ({ status: 201, body: await escalations.escalate(actorOf(req).id, params, body.reason) }),
  });

  mountRoute(mount, {
    method: 'post',
    path: '/api/v2.1/admin/cases/{caseType}/{subjectId}/proposal/decline',
    summary: "Decline a case's open proposal (a four-eyes decision or an escalation): the case is undecided again",
    tag: TAG,
    security: 'staff',
    roles: ['COMPLIANCE_OFFICER'],
    params: caseParams,
    body: declineBody,
    responses: {
      200: { description: 'Declined; the proposal as it stood', schema: declined },
      ...staffErrors,
      404: { description: 'No open proposal on this case' },
      409: {
        description:
          'SECOND_REVIEWER_REQUIRED: the proposal is your own; CASE_CLAIMED: another reviewer holds a live claim; INVALID_STATE: resolved meanwhile',
      },
    },
    handler: async ({ params, body, req }) => ({
      status: 200,
      body: { outcome: 'DECLINED', proposal: await escalations.decline(actorOf(req).id, params, body.reason) },
    }),
  });
}
