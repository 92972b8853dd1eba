/**
 * An organization's onboarding as GET /api/v2.1/customer/{id}/onboarding (and GET /v2/organization/{id}) show it:
 * the workflow's snapshot, with what the tables say is still due before KYB (people, ownership, documents; see
 * ./kyb-readiness.ts) and each person's verification state. Before KYB the persons are those KYB would verify now
 * (NOT_STARTED); once it started, those it chose, each with its identity check's status (e.g. AWAITING_DETAILS,
 * MANUAL_REVIEW) while it runs. Ids, reasons and statuses only: personal data stays in organization_parties.
 */
import type { Requirements } from '../../common/lifecycle';
import type { OrganizationSnapshot, VerificationReason } from '../../common/organization-contract';
import type { OnboardingService } from '../onboarding/service';
import { withTablesDue, type KybReadinessDeps } from './kyb-readiness';
import type { OrganizationPeopleService } from './people-service';

export interface PersonVerificationView {
  partyId: string;
  reasons: VerificationReason[];
  status: string;
}

export interface OrganizationOnboardingDeps extends KybReadinessDeps {
  people: Pick<OrganizationPeopleService, 'dueBeforeKyb' | 'verificationSubjects'>;
  onboarding: Pick<OnboardingService, 'identitySnapshot'>;
}

export function createOrganizationOnboardingView(deps: OrganizationOnboardingDeps) {
  const { people, onboarding } = deps;

  async function persons(tenantId: string, snapshot: Pick<OrganizationSnapshot, 'customerId' | 'persons' | 'kybStatus'>): Promise<PersonVerificationView[]> {
    if (snapshot.kybStatus === 'NOT_STARTED') {
      return (await people.verificationSubjects(tenantId, snapshot.customerId)).map((subject) => ({ ...subject, status: 'NOT_STARTED' }));
    }
    return Promise.all(
      (snapshot.persons ?? []).map(async (person) => {
        if (person.status !== 'PENDING') return person;
        const check = await onboarding.identitySnapshot(tenantId, snapshot.customerId, person.partyId);
        return { ...person, status: check?.status ?? 'STARTED' };
      }),
    );
  }

  return {
    /** The requirements with the tables' items due before KYB (unchanged once KYB has started). */
    requirements: (tenantId: string, organizationId: string, kybStatus: string | undefined, requirements: Requirements) =>
      withTablesDue(deps, tenantId, organizationId, kybStatus, requirements),

    /** What GET onboarding adds to an organization's snapshot. */
    async describe(tenantId: string, snapshot: Pick<OrganizationSnapshot, 'customerId' | 'persons' | 'kybStatus' | 'requirements'>) {
      const requirements = await withTablesDue(deps, tenantId, snapshot.customerId, snapshot.kybStatus, snapshot.requirements);
      const verifications = await persons(tenantId, snapshot);
      return { requirements: withDetailsDue(requirements, verifications), persons: verifications };
    },
  };
}

/**
 * A person invited to supply details holds the check up until the tenant (or the person) sends them: that is due
 * now (`PERSON:pty_…:DETAILS`), not something being checked.
 */
function withDetailsDue(requirements: Requirements, persons: PersonVerificationView[]): Requirements {
  const awaiting = new Set(persons.filter((person) => person.status === 'AWAITING_DETAILS').map((person) => `PERSON:${person.partyId}`));
  if (awaiting.size === 0) return requirements;
  return {
    ...requirements,
    currentlyDue: [...requirements.currentlyDue, ...[...awaiting].map((requirement) => `${requirement}:DETAILS`)],
    pendingVerification: requirements.pendingVerification.filter((requirement) => !awaiting.has(requirement)),
  };
}

export type OrganizationOnboardingView = ReturnType<typeof createOrganizationOnboardingView>;
