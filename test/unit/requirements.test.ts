/**
 * Requirement derivation (workflows/engine/requirements.ts) and the individual's inputs to it: who holds what is
 * outstanding follows the kind of the current step, and a failure is reported with a reason a tenant may read.
 */
import { DEFAULT_POLICY } from '../../common/onboarding-policy';
import { deriveRequirements, firstDue, type StepKind } from '../../workflows/engine/requirements';
import { OnboardingState } from '../../workflows/individual/state';

describe('deriveRequirements', () => {
  it('puts what is outstanding on a waiting step in currentlyDue, in order', () => {
    expect(deriveRequirements({ kind: 'await', due: ['EMAIL_VERIFICATION', 'CONSENT:PRIVACY_POLICY'] })).toEqual({
      currentlyDue: ['EMAIL_VERIFICATION', 'CONSENT:PRIVACY_POLICY'],
      pendingVerification: [],
      errors: [],
    });
  });

  it.each<[StepKind, string]>([
    ['check', 'KYC_RESULT'],
    ['staff', 'MANUAL_REVIEW'],
  ])('puts what a %s step holds in pendingVerification, with nothing currently due', (kind, requirement) => {
    expect(deriveRequirements({ kind, due: [requirement] })).toEqual({ currentlyDue: [], pendingVerification: [requirement], errors: [] });
  });

  it('adds checks running beside the step and failures, and nothing is due once the flow has ended', () => {
    const errors = [{ requirement: 'KYC', reason: 'The identity check did not pass' }];
    expect(deriveRequirements({ kind: 'await', due: ['DOCUMENT:PASSPORT'], pending: ['KYB'], errors })).toEqual({
      currentlyDue: ['DOCUMENT:PASSPORT'],
      pendingVerification: ['KYB'],
      errors,
    });
    expect(deriveRequirements({ kind: undefined, due: ['ACTIVATION'], errors })).toEqual({ currentlyDue: [], pendingVerification: [], errors });
  });

  it('copies its inputs, so a caller changing the answer cannot change the flow state', () => {
    const due = ['KYC'];
    const derived = deriveRequirements({ kind: 'await', due });
    derived.currentlyDue.push('ACTIVATION');
    expect(due).toEqual(['KYC']);
  });
});

describe('firstDue (the DueRequirement search attribute)', () => {
  it('is the first currently due requirement, or null when the provider or staff hold the case', () => {
    expect(firstDue(deriveRequirements({ kind: 'await', due: ['PROFILE', 'CONSENT:DATA_PROCESSING'] }))).toBe('PROFILE');
    expect(firstDue(deriveRequirements({ kind: 'check', due: ['KYC_RESULT'] }))).toBeNull();
  });
});

describe("an individual's requirement inputs", () => {
  const state = () => new OnboardingState({ tenantId: 'tnt_x', customerId: 'cust_x' }, DEFAULT_POLICY);

  it('reports a KYC rejection as an error without the provider reason', () => {
    const rejected = state();
    rejected.status = 'REJECTED';
    rejected.kyc = { verificationId: 'ver_1', status: 'REJECTED' };
    expect(rejected.errors()).toEqual([{ requirement: 'KYC', reason: 'The identity check did not pass' }]);
    expect(rejected.due()).toEqual([]);
  });

  it('has no errors while KYC is open or was approved', () => {
    const open = state();
    open.status = 'KYC_IN_PROGRESS';
    open.kyc = { verificationId: 'ver_1', status: 'IN_PROGRESS' };
    expect(open.errors()).toEqual([]);
    expect(open.due()).toEqual(['KYC_RESULT']);
  });
});
