/**
 * The organization's onboarding as a list of steps on the step engine (../engine): the representative's e-mail →
 * the tenant's required consents → the people and documents KYB needs (the tenant starts KYB) → KYB and every
 * person's identity check → staff review when a check did not pass → approved (the tenant activates) → ACTIVE.
 * Reminders and expiry come from the tenant's policy; the engine continues as new between steps.
 */
import type { OrganizationOnboardingInput, OrganizationStep } from '../../common/organization-contract';
import { customerStep, defineFlow, providerCheck, staffDecision, tenantStep } from '../engine';
import { notify } from './messages';
import type { OrganizationState } from './state';
import { io } from './activities';
import { recordStep } from './transitions';
import { runVerifications } from './verification';

export const ORGANIZATION = defineFlow<OrganizationStep, OrganizationState>({
  steps: [
    customerStep('EMAIL_VERIFICATION'), // the representative confirms the code sent at registration
    customerStep('CONSENTS'), // the tenant's required consents (they may also come before the e-mail)
    tenantStep('PEOPLE_AND_DOCUMENTS'), // directors, owners, documents; the tenant starts KYB when they are in
    providerCheck('VERIFYING', runVerifications), // KYB and each person's check → APPROVED or MANUAL_REVIEW
    staffDecision('MANUAL_REVIEW'), // → APPROVED or REJECTED
    tenantStep('APPROVED'), // the tenant activates → ACTIVE
  ],
  deadlines: (state) => state.policy,
  due: (state) => state.due(),
  errors: (state) => state.errors,
  indexedStatus: (state) => state.organizationStatus,
  recordStatus: recordStep,
  recordRequirements: (state, requirements) =>
    io.recordRequirements({ tenantId: state.input.tenantId, customerId: state.organizationId, requirements }),
  remind: async (state) => notify(state, 'reminder', `reminder/${state.reminders}`),
  expire: async (state, flow) => {
    await flow.moveTo(state, 'EXPIRED', 'No progress before the deadline');
    notify(state, 'expired', 'expired');
  },
  settle: async (state) => {
    await Promise.all(state.noticesInFlight);
  },
  nextRun: (state): OrganizationOnboardingInput => ({ ...state.input, carried: state.carry() }),
});

/** After any accepted action before KYB: the step the facts now call for (e-mail, consents, people and documents). */
export async function advanceBeforeKyb(state: OrganizationState, reason: string): Promise<void> {
  const next = state.stepBeforeKyb();
  if (next !== state.status) await ORGANIZATION.moveTo(state, next, reason);
  else await ORGANIZATION.publish(state, false);
}
