/** What an organization's onboarding says is due, step by step: the rules the workflow and its 409s read. */
import { DEFAULT_POLICY } from '../../common/onboarding-policy';
import { OrganizationState } from '../../workflows/organization/state';

const fresh = () => {
  const state = new OrganizationState({ tenantId: 'tnt_x', customerId: 'org_x' }, { ...DEFAULT_POLICY, requiredConsents: ['TERMS_AND_CONDITIONS', 'PRIVACY_POLICY'] });
  state.status = 'ONBOARDING';
  return state;
};

describe('OrganizationState requirements', () => {
  it('asks for the e-mail and the consents first, then KYB', () => {
    const state = fresh();
    expect(state.requirements()).toEqual({ currentlyDue: ['EMAIL_VERIFICATION', 'CONSENT:TERMS_AND_CONDITIONS', 'CONSENT:PRIVACY_POLICY'], pendingVerification: [], errors: [] });
    state.emailVerified = true;
    state.consents.add('PRIVACY_POLICY');
    expect(state.requirements().currentlyDue).toEqual(['CONSENT:TERMS_AND_CONDITIONS']);
    state.consents.add('TERMS_AND_CONDITIONS');
    expect(state.requirements().currentlyDue).toEqual(['KYB']);
  });

  it('shows KYB as being checked while it runs or waits for staff, then activation once approved', () => {
    const state = fresh();
    state.emailVerified = true;
    state.consents.add('TERMS_AND_CONDITIONS').add('PRIVACY_POLICY');
    state.kybStatus = 'IN_PROGRESS';
    expect(state.requirements()).toEqual({ currentlyDue: [], pendingVerification: ['KYB'], errors: [] });
    state.status = 'MANUAL_REVIEW';
    state.kybStatus = 'MANUAL_REVIEW';
    expect(state.snapshot()).toMatchObject({ lifecycleStatus: 'ONBOARDING', due: ['KYB'] });
    state.status = 'APPROVED';
    state.kybStatus = 'APPROVED';
    expect(state.requirements()).toEqual({ currentlyDue: ['ACTIVATION'], pendingVerification: [], errors: [] });
  });

  it('owes nothing once ended, and says why a rejection failed without the reviewer\'s note', () => {
    const state = fresh();
    state.status = 'REJECTED';
    state.kybStatus = 'REJECTED';
    expect(state.snapshot()).toMatchObject({ lifecycleStatus: 'REJECTED', due: [], requirements: { errors: [{ requirement: 'KYB', reason: 'Rejected in compliance review' }] } });
    for (const status of ['ACTIVE', 'EXPIRED'] as const) {
      state.status = status;
      expect(state.requirements()).toEqual({ currentlyDue: [], pendingVerification: [], errors: [] });
      expect(state.ended).toBe(true);
    }
  });
});
