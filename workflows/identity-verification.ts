/**
 * Identity verification of one subject of an onboarding — the individual customer, or a director, shareholder,
 * UBO or representative of an organization — as a child workflow with its own history and search attributes.
 *
 * Guarantees: the provider gets what it needs (the person is invited by e-mail to supply missing details, with
 * reminders, until the policy's expiry); one verification per run, whose callbacks reach this workflow by the id
 * stored with it; a repeated callback has one effect; anything the provider cannot decide goes to MANUAL_REVIEW
 * and waits for a staff decision (who, when, why recorded). The parent gets APPROVED, REJECTED or EXPIRED.
 */
import { ApplicationFailure, condition, setCurrentDetails, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import {
  decideIdentityUpdate,
  IdentityFailure,
  identityDetailsUpdate,
  identityKycResultSignal,
  identitySnapshotQuery,
  type IdentityOutcome,
  type IdentityVerificationInput,
} from '../common/identity-contract';
import { CustomerIdKey, KycStatusKey, SubjectTypeKey, TenantIdKey } from '../common/search-attributes';
import { checkDetailsText } from '../common/workflow-labels';
import { ensureDetails } from './identity/details';
import { awaitStaffDecision, openCheck, runCheck, toManualReview } from './identity/check';
import { IdentityState } from './identity/state';

export async function identityVerification(input: IdentityVerificationInput): Promise<IdentityOutcome> {
  const state = new IdentityState(input);
  upsertSearchAttributes([
    { key: TenantIdKey, value: input.tenantId },
    { key: CustomerIdKey, value: input.customerId },
    { key: SubjectTypeKey, value: input.role },
    { key: KycStatusKey, value: state.status },
  ]);
  setCurrentDetails(checkDetailsText('KYC', state.status));
  registerHandlers(state);

  const details = input.prepared ? ({ ready: true } as const) : await ensureDetails(state);
  if (!details.ready && details.expired) {
    state.moveTo('EXPIRED', 'The details the check needs were not supplied in time');
    return state.outcome();
  }
  await openCheck(state);
  if (details.ready) await runCheck(state);
  else await toManualReview(state, details.problem);
  if (state.status === 'MANUAL_REVIEW') await awaitStaffDecision(state);
  return state.outcome();
}

function registerHandlers(state: IdentityState): void {
  setHandler(identitySnapshotQuery, () => state.snapshot());
  setHandler(identityKycResultSignal, (result) => {
    if (!state.results.has(result.verificationId)) state.results.set(result.verificationId, result);
  });
  setHandler(
    identityDetailsUpdate,
    () => {
      state.detailsSupplied = true;
      return state.snapshot();
    },
    { validator: () => expectStatus(state, 'AWAITING_DETAILS', 'take details') },
  );
  setHandler(
    decideIdentityUpdate,
    async (decision) => {
      if (state.staffDecision) throw invalidState(state, 'The check has already been decided');
      state.staffDecision = decision;
      await condition(() => state.status === 'APPROVED' || state.status === 'REJECTED');
      return state.snapshot();
    },
    { validator: (_decision) => expectStatus(state, 'MANUAL_REVIEW', 'record a decision') },
  );
}

function expectStatus(state: IdentityState, expected: string, action: string): void {
  if (state.status !== expected) throw invalidState(state, `Cannot ${action} while the identity check is ${state.status}`);
}

function invalidState(state: IdentityState, message: string): ApplicationFailure {
  return ApplicationFailure.create({ message, type: IdentityFailure.InvalidState, nonRetryable: true, details: [state.status] });
}
