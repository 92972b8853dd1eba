/**
 * Who the tests' staff credential acts as, written as api/auth/actor.ts records it (`type:id`). Staff actions
 * record this, never a name the request body gives; tests compare what was stored with it.
 */
import { actorLabel } from '../../api/auth/actor';
import type { Harness } from './harness';

/**
 * The staff member behind the token the tests send to staff routes. With the stand-in guard
 * (requireStaffStandIn) the platform token acts as staff member `platform-admin`; with staff sessions it is the
 * signed-in officer's id.
 */
export function staffActorLabel(_h: Harness): string {
  return actorLabel({ type: 'staff', id: 'platform-admin', roles: [] });
}

/** A reviewer the body may not set: every staff decision route refuses a body that names one. */
export const BODY_REVIEWER = { reviewer: 'someone.else@bank.example' } as const;
