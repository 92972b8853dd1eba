/** The organization's onboarding as the API reads it (the snapshot query and every update's answer). */
import { lifecycleOf } from '../../common/lifecycle';
import type { OrganizationSnapshot } from '../../common/organization-contract';
import type { OrganizationState } from './state';
import { ORGANIZATION } from './steps';

export function snapshotOf(state: OrganizationState): OrganizationSnapshot {
  const requirements = ORGANIZATION.requirements(state);
  return {
    customerId: state.organizationId,
    status: state.organizationStatus,
    step: state.status,
    lifecycleStatus: lifecycleOf(state.organizationStatus),
    requirements,
    kybStatus: state.kybStatus,
    due: [...requirements.currentlyDue, ...requirements.pendingVerification],
    verificationEmailSent: state.verificationEmailSent,
    consents: [...state.consents],
    persons: state.persons.map((person) => ({ ...person, reasons: [...person.reasons] })),
  };
}
