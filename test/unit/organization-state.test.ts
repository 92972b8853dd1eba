/** What an organization's onboarding says is due, step by step: the rules the workflow and its 409s read. */
import { DEFAULT_POLICY } from '../../common/onboarding-policy';
import { snapshotOf } from '../../workflows/organization/snapshot';
import { OrganizationState } from '../../workflows/organization/state';
import { ORGANIZATION } from '../../workflows/organization/steps';

const fresh = () => {
  const state = new OrganizationState({ tenantId: 'tnt_x', customerId: 'org_x' }, { ...DEFAULT_POLICY, requiredConsents: ['TERMS_AND_CONDITIONS', 'PRIVACY_POLICY'] });
  state.status = 'EMAIL_VERIFICATION';
  return state;
};
const requirements = (state: OrganizationState) => ORGANIZATION.requirements(state);

describe('OrganizationState requirements', () => {
  it('asks for the e-mail and the consents first, then KYB, each step an ONBOARDING one', () => {
    const state = fresh();
    expect(requirements(state)).toEqual({ currentlyDue: ['EMAIL_VERIFICATION', 'CONSENT:TERMS_AND_CONDITIONS', 'CONSENT:PRIVACY_POLICY'], pendingVerification: [], errors: [] });
    state.emailVerified = true;
    state.consents.add('PRIVACY_POLICY');
    expect(state.stepBeforeKyb()).toBe('CONSENTS');
    state.status = 'CONSENTS';
    expect(requirements(state).currentlyDue).toEqual(['CONSENT:TERMS_AND_CONDITIONS']);
    state.consents.add('TERMS_AND_CONDITIONS');
    state.status = state.stepBeforeKyb();
    expect(state.status).toBe('PEOPLE_AND_DOCUMENTS');
    expect(requirements(state).currentlyDue).toEqual(['KYB']);
    expect(snapshotOf(state)).toMatchObject({ status: 'ONBOARDING', step: 'PEOPLE_AND_DOCUMENTS', lifecycleStatus: 'ONBOARDING' });
  });

  it('shows KYB and each person as being checked while they run, then activation once approved', () => {
    const state = fresh();
    state.status = 'VERIFYING';
    state.kybChecking = true;
    state.persons = [
      { partyId: 'pty_a', reasons: ['REPRESENTATIVE'], status: 'APPROVED' },
      { partyId: 'pty_b', reasons: ['DIRECTOR'], status: 'PENDING' },
    ];
    expect(requirements(state)).toEqual({ currentlyDue: [], pendingVerification: ['KYB', 'PERSON:pty_b'], errors: [] });
    state.status = 'MANUAL_REVIEW';
    state.errors = [{ requirement: 'PERSON:pty_b', reason: 'Identity check did not pass' }];
    expect(snapshotOf(state)).toMatchObject({ status: 'MANUAL_REVIEW', lifecycleStatus: 'ONBOARDING', due: ['KYB'], requirements: { errors: state.errors } });
    state.status = 'APPROVED';
    state.errors = [];
    expect(requirements(state)).toEqual({ currentlyDue: ['ACTIVATION'], pendingVerification: [], errors: [] });
  });

  it('owes nothing once ended, and keeps why a rejection failed', () => {
    const state = fresh();
    state.status = 'REJECTED';
    state.errors = [{ requirement: 'KYB', reason: 'Rejected in compliance review' }];
    expect(snapshotOf(state)).toMatchObject({ lifecycleStatus: 'REJECTED', due: [], requirements: { errors: [{ requirement: 'KYB', reason: 'Rejected in compliance review' }] } });
    for (const status of ['ACTIVE', 'EXPIRED'] as const) {
      state.status = status;
      state.errors = [];
      expect(requirements(state)).toEqual({ currentlyDue: [], pendingVerification: [], errors: [] });
      expect(state.ended).toBe(true);
    }
  });
});

describe('OrganizationState carried across continue-as-new', () => {
  it('starts the next run where the last one was: step, consents, persons, counters', () => {
    const state = fresh();
    state.status = 'PEOPLE_AND_DOCUMENTS';
    state.emailVerified = true;
    state.consents.add('TERMS_AND_CONDITIONS').add('PRIVACY_POLICY');
    state.reminders = 2;
    state.codesSent = 1;
    const next = new OrganizationState({ tenantId: 'tnt_x', customerId: 'org_x', carried: state.carry() }, state.policy);
    expect(snapshotOf(next)).toEqual(snapshotOf(state));
    expect([next.status, next.reminders, next.codesSent, next.indexedKybStatus]).toEqual(['PEOPLE_AND_DOCUMENTS', 2, 1, 'NOT_STARTED']);
  });
});
