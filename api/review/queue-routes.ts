/**
 * The review queue and claims: what waits on staff, oldest first, and a reviewer taking a case so that two do not
 * work it at once. Reading is for COMPLIANCE_OFFICER, OPERATOR and AUDITOR; claiming for COMPLIANCE_OFFICER only.
 * The claimant is the session's staff member, never a body field; the audit layer records each call.
 */
import { actorOf } from '../auth/actor';
import { NotFoundError } from '../http/errors';
import { mountRoute, type Mount } from '../http/route';
import type { ReviewClaims } from './claims';
import type { ReviewQueue } from './queue';
import { caseParams, claimSchema, queuePage, queueQuery } from './schemas';

const access = { tag: 'Compliance back office', security: 'staff' } as const;
const CASE_PATH = '/api/v2.1/admin/cases/{caseType}/{subjectId}/claim';
const refusals = (roles: string) => ({
  400: { description: 'Invalid input (the field is named)' },
  401: { description: 'Missing or invalid staff session' },
  403: { description: `The staff member holds none of ${roles}` },
});

export function mountQueueRoutes(mount: Mount, queue: ReviewQueue, claims: ReviewClaims) {
  mountRoute(mount, {
    ...access,
    method: 'get',
    path: '/api/v2.1/admin/review-queue',
    summary: "Cases waiting on staff (individuals and organizations in manual review, KYB checks and organizations' persons' identity checks in review, documents to decide), oldest first",
    roles: ['COMPLIANCE_OFFICER', 'OPERATOR', 'AUDITOR'],
    query: queueQuery,
    responses: {
      200: { description: 'One page, oldest first; nextCursor continues it (null: the last page)', schema: queuePage },
      ...refusals('COMPLIANCE_OFFICER, OPERATOR, AUDITOR'),
    },
    handler: async ({ query, req }) => ({ status: 200, body: await queue.list(query, actorOf(req).id) }),
  });

  mountRoute(mount, {
    ...access,
    method: 'post',
    path: CASE_PATH,
    summary: `Claim a case for REVIEW_CLAIM_MINUTES (re-claiming one's own extends it; a lapsed claim is taken over)`,
    roles: ['COMPLIANCE_OFFICER'],
    params: caseParams,
    responses: {
      200: { description: 'The claim, held by the signed-in reviewer', schema: claimSchema },
      ...refusals('COMPLIANCE_OFFICER'),
      404: { description: 'The case is not waiting on staff (decided, or unknown)' },
      409: { description: 'Another reviewer holds a live claim (CASE_CLAIMED; details name who and until when)' },
    },
    handler: async ({ params, req }) => {
      const waiting = await queue.waiting(params);
      if (!waiting) throw new NotFoundError('No such case waiting on staff');
      return { status: 200, body: await claims.claim({ ...params, tenantId: waiting.tenantId }, actorOf(req).id) };
    },
  });

  mountRoute(mount, {
    ...access,
    method: 'delete',
    path: CASE_PATH,
    summary: 'Release your own claim on a case',
    roles: ['COMPLIANCE_OFFICER'],
    params: caseParams,
    responses: {
      204: { description: 'Released' },
      ...refusals('COMPLIANCE_OFFICER'),
      404: { description: 'You hold no live claim on this case' },
    },
    handler: async ({ params, req }) => {
      if (!(await claims.release(params, actorOf(req).id))) throw new NotFoundError('You hold no claim on this case');
      return { status: 204, body: undefined };
    },
  });
}
