/**
 * The audit recorder, a route check: every state-changing call (POST, PUT, PATCH, DELETE) on an authenticated
 * route appends one row, whatever its outcome — a 4xx refusal included, since a refused attempt (a decision on a
 * customer not in review, a forbidden capability) is part of who tried what.
 *
 * When: the row is built and appended once the call's answer is decided (so it carries the status) and BEFORE that
 * answer is sent: a client holding an answer knows its call is in the trail. If the append fails, the answer is
 * sent anyway — the change has happened, and a 5xx would invite a duplicate — while the row stays queued in this
 * process and is retried with back-off (trail.ts), and an error log line carries the row itself (it holds no
 * personal data by construction), so nothing is lost silently.
 *
 * Public routes are not recorded, except those that sign someone in (`recordsSignIn`): a successful sign-in is
 * recorded with the signed-in customer or staff member as actor (the handler sets it); a refused one has no actor.
 *
 * The actor comes from `req.actor` (set by the guard), never from the body; the body contributes only its field
 * names and enumeration values (changes.ts).
 */
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from '../../common/logger';
import type { Actor } from '../auth/actor';
import { loggableError } from '../http/errors';
import { requestIdOf } from '../http/request-id';
import type { RouteChecks, RouteInfo } from '../http/route';
import { changesOf } from './changes';
import type { AuditEntry } from './chain';
import type { SubjectTenants } from './subjects';
import type { AuditTrail } from './trail';

const STATE_CHANGING = new Set(['post', 'put', 'patch', 'delete']);
/** Ids in paths and answers are recorded only when they look like ids; anything else is not echoed. */
const SANE_ID = /^[A-Za-z0-9_.:-]{1,128}$/;
/** Where a call that names no object in its path says what it created, in order of preference. */
const CREATED_IDS = ['customerId', 'organizationId', 'documentId', 'partyId', 'verificationId', 'keyId', 'tenantId', 'subscriptionId', 'eventId'];
const PREFIX_TYPES: Record<string, string> = {
  cust: 'customer',
  org: 'organization',
  tnt: 'tenant',
  doc: 'document',
  pty: 'party',
  ver: 'verification',
  key: 'api_key',
  whsub: 'webhook_subscription',
  evt: 'webhook_event',
  tpp: 'tpp',
  tpc: 'tpp_consent',
};

export interface AuditRecorderDeps {
  trail: AuditTrail;
  tenantOfSubject: SubjectTenants;
  logger: Logger;
}

export function auditRecorder(deps: AuditRecorderDeps): RouteChecks {
  return (route) => {
    if (!STATE_CHANGING.has(route.method) || (route.security === 'none' && !route.recordsSignIn)) return [];
    return [recordCall(deps, route)];
  };
}

function recordCall(deps: AuditRecorderDeps, route: RouteInfo): RequestHandler {
  const action = `${route.method.toUpperCase()} ${route.path}`;
  // The object a path names is its last `{…Id}` parameter: /tenants/{tenantId}/api-keys/{keyId} acts on the key.
  const pathTarget = [...route.path.matchAll(/\{(\w+Id)\}/g)].map((m) => m[1]).at(-1);
  return (req, res, next) => {
    const occurredAt = new Date();
    // Read now: an error answer is rendered by the app's error handler, outside the route, where params are gone.
    const params: Record<string, unknown> = { ...req.params };
    const send = res.json.bind(res);
    let recorded = false;
    const record = async (answer: unknown): Promise<void> => {
      recorded = true;
      const actor = req.actor;
      if (!actor) return;
      const entry = await entryOf(deps, { req, res, params, actor, action, pathTarget, answer, occurredAt });
      await deps.trail.append(entry).catch((error) => {
        deps.logger.error({ err: loggableError(error), audit: entry, pending: deps.trail.pending() }, 'audit row not written yet; it is queued and retried');
      });
    };
    res.json = ((body: unknown) => {
      if (recorded) return send(body);
      void record(body)
        .catch((error) => deps.logger.error({ err: loggableError(error), action, requestId: requestIdOf(req) }, 'audit row could not be built'))
        .finally(() => send(body));
      return res;
    }) as Response['json'];
    // An answer that bypassed res.json (a bare status, a stream) is recorded once it is sent.
    res.on('finish', () => {
      if (!recorded) void record(undefined).catch((error) => deps.logger.error({ err: loggableError(error), action }, 'audit row could not be built'));
    });
    next();
  };
}

async function entryOf(
  deps: AuditRecorderDeps,
  call: { req: Request; res: Response; params: Record<string, unknown>; actor: Actor; action: string; pathTarget?: string; answer: unknown; occurredAt: Date },
): Promise<AuditEntry> {
  const { req, res, actor } = call;
  const target = targetOf(call.params, res.statusCode, call.pathTarget, call.answer);
  return {
    occurredAt: call.occurredAt,
    actorType: actor.type,
    actorId: actor.id,
    action: call.action,
    targetType: target?.type ?? null,
    targetId: target?.id ?? null,
    tenantId: await tenantOf(deps, call.params, actor, target),
    requestId: requestIdOf(req),
    ip: req.ip ?? null,
    status: res.statusCode,
    changes: changesOf(req.body),
  };
}

function targetOf(params: Record<string, unknown>, status: number, pathTarget: string | undefined, answer: unknown): { type: string; id: string } | undefined {
  if (pathTarget) {
    const id = String(params[pathTarget] ?? '');
    return { type: typeOf(pathTarget, id), id: SANE_ID.test(id) ? id : '(malformed)' };
  }
  if (status >= 300 || !answer || typeof answer !== 'object') return undefined;
  for (const name of CREATED_IDS) {
    const id = (answer as Record<string, unknown>)[name];
    if (typeof id === 'string' && SANE_ID.test(id)) return { type: typeOf(name, id), id };
  }
  return undefined;
}

/** By the id's prefix where it has a known one (`subjectId` is a customer or an organization), else the parameter's name. */
function typeOf(parameter: string, id: string): string {
  // Own keys only: an id such as `toString` or `constructor` must not find Object.prototype's members (a function
  // as the target type fails the append, and every later row queues behind its retries).
  const prefix = id.split('_')[0]!;
  const prefixed = Object.hasOwn(PREFIX_TYPES, prefix) ? PREFIX_TYPES[prefix] : undefined;
  if (prefixed) return prefixed;
  return parameter.replace(/Id$/, '').replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

async function tenantOf(deps: AuditRecorderDeps, params: Record<string, unknown>, actor: Actor, target?: { type: string; id: string }): Promise<string | null> {
  if ((actor.type === 'tenant' || actor.type === 'customer' || actor.type === 'staff') && actor.tenantId) return actor.tenantId;
  const pathTenant = params.tenantId;
  if (typeof pathTenant === 'string' && SANE_ID.test(pathTenant)) return pathTenant;
  if (!target || target.id === '(malformed)') return null;
  if (target.type === 'tenant') return target.id;
  try {
    return (await deps.tenantOfSubject(target.id)) ?? null;
  } catch (error) {
    // The row is still written, without its tenant, rather than not at all.
    deps.logger.warn({ err: loggableError(error) }, 'audit: the tenant of the target could not be read');
    return null;
  }
}
