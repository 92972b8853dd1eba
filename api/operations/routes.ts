/**
 * Operators' routes over the operations service: the same lists and actions as the CLI (scripts/ops). Staff with
 * OPERATOR (or PLATFORM_ADMIN) only; the audit layer records each call with the session's actor, and a reset names
 * that actor in the reason Temporal keeps on the new run.
 */
import { Readable } from 'node:stream';
import { actorLabel, actorOf } from '../auth/actor';
import { z } from '../http/openapi';
import { mountRoute, type Mount } from '../http/route';
import { evidenceHtml, evidenceOf } from './evidence';
import {
  activitiesAnswer,
  activityBody,
  batchAnswer,
  batchBody,
  customerParams,
  evidenceBody,
  failedPage,
  failedQuery,
  listQuery,
  resetAnswer,
  resetBody,
  pauseBody,
  skipBody,
  stuckPage,
  stuckQuery,
  timelineBody,
} from './schemas';
import type { OperationsService } from './service';

const BASE = '/api/v2.1/admin/operations';
const access = { tag: 'Operations', security: 'staff', roles: ['OPERATOR', 'PLATFORM_ADMIN'] } as const;
const refusals = {
  400: { description: 'Invalid input (the field is named)' },
  401: { description: 'Missing or invalid staff session' },
  403: { description: 'The staff member holds neither OPERATOR nor PLATFORM_ADMIN' },
};

export function mountOperationsRoutes(mount: Mount, operations: OperationsService) {
  mountRoute(mount, {
    ...access,
    method: 'get',
    path: `${BASE}/stuck`,
    summary: 'Running onboardings without progress (no status change) for `for`, by step and tenant',
    query: stuckQuery,
    responses: { 200: { description: 'Longest stuck first', schema: stuckPage }, ...refusals },
    handler: async ({ query }) => ({ status: 200, body: { data: await operations.stuck(query.for, query) } }),
  });

  mountRoute(mount, {
    ...access,
    method: 'get',
    path: `${BASE}/failed`,
    summary: 'Failed, terminated or timed-out runs, and activities retrying with their last error',
    query: failedQuery,
    responses: { 200: { description: 'Failed runs, then retrying activities', schema: failedPage }, ...refusals },
    handler: async ({ query }) => ({ status: 200, body: { data: await operations.failed(query) } }),
  });

  mountRoute(mount, {
    ...access,
    method: 'get',
    path: `${BASE}/waiting`,
    summary: 'Onboardings waiting on a staff decision (MANUAL_REVIEW)',
    query: listQuery,
    responses: { 200: { description: 'Longest waiting first', schema: stuckPage }, ...refusals },
    handler: async ({ query }) => ({ status: 200, body: { data: await operations.waiting(query) } }),
  });

  mountRoute(mount, {
    ...access,
    method: 'get',
    path: `${BASE}/onboardings/{customerId}/timeline`,
    summary: "One onboarding's status history, workflow events, e-mails, SMS and checks, in time order",
    params: customerParams,
    responses: { 200: { description: 'The timeline', schema: timelineBody }, ...refusals, 404: { description: 'No such customer' } },
    handler: async ({ params }) => ({ status: 200, body: await operations.timeline(params.customerId) }),
  });

  for (const format of ['json', 'html'] as const) {
    mountRoute(mount, {
      ...access,
      method: 'get',
      path: `${BASE}/onboardings/{customerId}/export${format === 'html' ? '/html' : ''}`,
      summary: format === 'html' ? "The customer's compliance timeline as a printable HTML page (evidence)" : "The customer's compliance timeline as evidence (JSON)",
      params: customerParams,
      responses: {
        200: format === 'html' ? { description: 'A self-contained page (an attachment)', schema: z.string(), contentType: 'text/html' } : { description: 'The evidence document (an attachment)', schema: evidenceBody },
        ...refusals,
        404: { description: 'No such customer' },
      },
      handler: async ({ params, req }) => {
        const evidence = evidenceOf(await operations.timeline(params.customerId), actorLabel(actorOf(req)));
        const headers = { 'Content-Disposition': `attachment; filename="timeline-${params.customerId}.${format}"` };
        if (format === 'json') return { status: 200, headers, body: evidence };
        return { status: 200, headers: { ...headers, 'Content-Type': 'text/html; charset=utf-8' }, stream: Readable.from([evidenceHtml(evidence)]) };
      },
    });
  }

  mountRoute(mount, {
    ...access,
    method: 'post',
    path: `${BASE}/onboardings/{customerId}/reset`,
    summary: 'Reset the onboarding to its last good point (or eventId); dryRun (the default) only says what would run again',
    params: customerParams,
    body: resetBody,
    responses: {
      200: { description: 'The plan, and with dryRun false the new run', schema: resetAnswer },
      ...refusals,
      404: { description: 'No such customer' },
      409: { description: 'No point to reset to (e.g. the chosen event is not a completed workflow task), or Temporal refused the reset' },
      503: { description: 'Temporal is unavailable' },
    },
    handler: async ({ params, body, req }) => ({
      status: 200,
      body: await operations.reset(params.customerId, { ...body, actor: actorLabel(actorOf(req)) }),
    }),
  });

  mountRoute(mount, {
    ...access,
    method: 'post',
    path: `${BASE}/activities/retry`,
    summary: "Retry now the onboarding's activities past their first attempt (or the one named): attempts start again at 1",
    body: activityBody,
    responses: {
      200: { description: 'The activities retried (or that would be)', schema: activitiesAnswer },
      ...refusals,
      404: { description: 'No such customer or activity (it may have just ended)' },
      409: { description: 'Temporal refused the request for the activity\'s state' },
      503: { description: 'Temporal is unavailable' },
    },
    handler: async ({ body }) => ({ status: 200, body: { dryRun: body.dryRun, data: await operations.retryActivity(body.customerId, body) } }),
  });

  mountRoute(mount, {
    ...access,
    method: 'post',
    path: `${BASE}/activities/pause`,
    summary: "Pause the onboarding's retrying activities (or the one named) while their cause is fixed; a retry resumes them",
    body: pauseBody,
    responses: {
      200: { description: 'The activities paused', schema: activitiesAnswer },
      ...refusals,
      404: { description: 'No such customer or activity (it may have just ended)' },
      409: { description: 'Temporal refused the request for the activity\'s state' },
      503: { description: 'Temporal is unavailable' },
    },
    handler: async ({ body, req }) => ({ status: 200, body: { dryRun: false, data: await operations.pauseActivity(body.customerId, { ...body, actor: actorLabel(actorOf(req)) }) } }),
  });

  mountRoute(mount, {
    ...access,
    method: 'post',
    path: `${BASE}/activities/skip`,
    summary: 'Complete a pending activity in the worker’s place, only one whose result the onboarding ignores (a customer notice)',
    body: skipBody,
    responses: {
      200: { description: 'The activity skipped (or that would be)', schema: activitiesAnswer },
      ...refusals,
      404: { description: 'No such customer or activity' },
      409: { description: 'This activity may not be skipped: the onboarding uses its result' },
      503: { description: 'Temporal is unavailable' },
    },
    handler: async ({ body }) => ({ status: 200, body: { dryRun: body.dryRun, data: [await operations.skipActivity(body.customerId, body)] } }),
  });

  mountRoute(mount, {
    ...access,
    method: 'post',
    path: `${BASE}/batch`,
    summary: 'Retry every retrying activity, or reset every failed run, matching a filter; dryRun (the default) lists them',
    body: batchBody,
    responses: { 200: { description: 'One outcome per onboarding', schema: batchAnswer }, ...refusals },
    handler: async ({ body, req }) => {
      const data = await operations.batch(body.action, body, { dryRun: body.dryRun, reason: body.reason, actor: actorLabel(actorOf(req)) });
      return { status: 200, body: { dryRun: body.dryRun, data } };
    },
  });
}
