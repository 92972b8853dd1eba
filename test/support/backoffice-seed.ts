/**
 * Who works the back office in the browser tests and screenshots, made the way it happens in production: staff
 * accounts enrolled with a real TOTP secret (not logged in: the browser signs them in, with codes an authenticator
 * would show), and a tenant whose four-eyes rule holds rejections. The cases themselves come from
 * test/support/review-cases.ts (the workflows put them in front of staff).
 */
import { randomBytes } from 'node:crypto';
import type { StaffRole } from '../../common/access';
import { currentTotp } from '../../api/auth/totp';
import type { Harness } from './harness';
import { tenantWithSettings } from './journey';
import { enrol, platformAdmin, type EnrolledStaff } from './staff';

/** A staff account enrolled (password and TOTP set) and never signed in. */
export async function enrolledStaff(h: Harness, roles: StaffRole[]): Promise<EnrolledStaff> {
  const admin = await platformAdmin(h);
  const email = `reviewer.${randomBytes(4).toString('hex')}@bank.example`;
  const created = await admin.call('POST', '/api/v2.1/admin/staff', { email, roles });
  if (created.status !== 201) throw new Error(`staff account: ${created.status} ${JSON.stringify(created.body)}`);
  const staff = await enrol(h, created.body.staffId, email, created.body.setupToken);
  // Enrolment confirmed with the code of the current step: that step is spent.
  lastStep.set(staff.totpSecret, stepAt(Date.now()));
  return staff;
}

const STEP_MS = 30_000;
const stepAt = (ms: number) => Math.floor(ms / STEP_MS);
const lastStep = new Map<string, number>();

/**
 * The code an authenticator app would show for a step the server has not accepted yet (a code is accepted one step
 * either side of now, once): the next unused step, waiting for it to come within the window when it must.
 */
export async function freshTotp(staff: EnrolledStaff): Promise<string> {
  const step = (lastStep.get(staff.totpSecret) ?? stepAt(Date.now()) - 2) + 1;
  for (;;) {
    const now = Date.now();
    if (step < stepAt(now) - 1) return freshTotpFrom(staff, stepAt(now) - 1);
    if (step <= stepAt(now) + 1) return freshTotpFrom(staff, step);
    await new Promise((resolve) => setTimeout(resolve, (step - 1) * STEP_MS - now + 50));
  }
}

function freshTotpFrom(staff: EnrolledStaff, step: number): string {
  lastStep.set(staff.totpSecret, step);
  return currentTotp(staff.totpSecret, step * STEP_MS + STEP_MS / 2);
}

/** A tenant whose rejections wait for a second compliance officer. */
export const fourEyesTenant = (h: Harness) => tenantWithSettings(h, { fourEyes: { rejections: true } });
