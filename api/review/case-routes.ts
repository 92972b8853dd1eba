/** The case page's route: everything a reviewer reads to decide one case (./case-view.ts). */
import { actorOf } from '../auth/actor';
import { UnauthorizedError } from '../http/errors';
import { mountRoute, type Mount } from '../http/route';
import type { CaseViewService } from './case-view';
import { caseParams, caseViewSchema } from './schemas';

export function mountCaseRoutes(mount: Mount, cases: CaseViewService) {
  mountRoute(mount, {
    method: 'get',
    path: '/api/v2.1/admin/cases/{caseType}/{subjectId}',
    summary: "A case as a reviewer sees it: subject, findings, ownership, documents, timeline, Temporal link, what decision is pending",
    tag: 'Compliance back office',
    security: 'staff',
    roles: ['COMPLIANCE_OFFICER', 'OPERATOR', 'AUDITOR'],
    params: caseParams,
    responses: {
      200: { description: 'The case; personal data decoded for COMPLIANCE_OFFICER and AUDITOR, masked for OPERATOR', schema: caseViewSchema },
      400: { description: 'Unknown case type or malformed id' },
      401: { description: 'Missing or invalid staff session' },
      403: { description: 'A role other than COMPLIANCE_OFFICER, OPERATOR, AUDITOR' },
      404: { description: 'No such individual, organization or document' },
    },
    handler: async ({ params, req }) => {
      const actor = actorOf(req);
      if (actor.type !== 'staff') throw new UnauthorizedError('Missing or invalid staff session');
      return { status: 200, body: await cases.view(params, { staffId: actor.id, roles: actor.roles, tenantId: actor.tenantId }) };
    },
  });
}
