/**
 * The actor of a request, set by the guard that authenticated it: a tenant credential, a customer session, a staff
 * session, or the bootstrap platform token. Everything that records who did something (decisions, the audit
 * trail) reads it from here — never from the request body.
 */
import type { Request } from 'express';
import type { StaffRole } from '../../common/access';
import { NotFoundError, UnauthorizedError } from '../http/errors';

export type Actor =
  /** An OAuth client (`oauth:cli_…`) or a v1 API key (`apikey:key_…`) of a tenant. */
  | { type: 'tenant'; id: string; tenantId: string }
  /** A customer signed in to their own onboarding. */
  | { type: 'customer'; id: string; tenantId: string; customerId: string; sessionId: string }
  /** A staff member; TENANT_ADMIN accounts are bound to one tenant. */
  | { type: 'staff'; id: string; roles: readonly StaffRole[]; tenantId?: string; sessionId?: string }
  /** The static platform token, which only bootstraps the first staff account. */
  | { type: 'platform'; id: 'platform-admin' };

declare module 'express-serve-static-core' {
  interface Request {
    actor?: Actor;
  }
}

export function actorOf(req: Request): Actor {
  if (!req.actor) throw new UnauthorizedError();
  return req.actor;
}

/** How an actor is written where a name is recorded (a decision's reviewer, a document's actor). */
export function actorLabel(actor: Actor): string {
  return `${actor.type}:${actor.id}`;
}

/**
 * A staff member acting on one tenant's objects: a TENANT_ADMIN only on their own tenant. Other tenants' objects
 * answer 404, as for any tenant credential, so a tenant id is not confirmed to exist.
 */
export function assertTenantScope(actor: Actor, tenantId: string): void {
  if (actor.type === 'staff' && actor.tenantId !== undefined && actor.tenantId !== tenantId) throw new NotFoundError();
  if ((actor.type === 'tenant' || actor.type === 'customer') && actor.tenantId !== tenantId) throw new NotFoundError();
}
