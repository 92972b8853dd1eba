/**
 * Who the tests' staff credential acts as, written as api/auth/actor.ts records it (`type:id`). Staff actions
 * record this, never a name the request body gives; tests compare what was stored with it.
 */
import type { StaffRole } from '../../common/access';
import { actorLabel } from '../../api/auth/actor';
import type { Harness } from './harness';
import { staffSession } from './staff';

/** The staff member behind the session the tests send to staff routes with these roles (default: compliance). */
export async function staffActorLabel(h: Harness, ...roles: StaffRole[]): Promise<string> {
  const session = await staffSession(h, roles.length ? roles : ['COMPLIANCE_OFFICER']);
  return actorLabel({ type: 'staff', id: session.staffId, roles: [] });
}

/** A reviewer the body may not set: every staff decision route refuses a body that names one. */
export const BODY_REVIEWER = { reviewer: 'someone.else@bank.example' } as const;
