/**
 * Paths kept only so executions started before a patch replay unchanged (see the patch ids in
 * ../individual-onboarding.ts). New executions never take them.
 */
import { condition, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { OnboardingOutcome } from '../../common/onboarding-contract';
import { OnboardingStatusKey } from '../../common/search-attributes';
import { io } from './activities';
import type { OnboardingState } from './state';

/** The first code as executions started before DETACHED_FIRST_CODE send it: awaited, retried forever. */
export async function sendFirstEmailCode(state: OnboardingState): Promise<void> {
  const { tenantId, customerId } = state.input;
  state.noteCodeSent('EMAIL', Date.now());
  await io.sendVerificationEmail({ tenantId, customerId, idempotencyKey: `${workflowInfo().workflowId}/verification-email/1` });
  state.verificationEmailSent = true;
}

/** The whole lifecycle of executions started before FULL_LIFECYCLE: the first code, then expiry or nothing. */
export async function legacyLifecycle(state: OnboardingState): Promise<OnboardingOutcome> {
  await sendFirstEmailCode(state);
  const progressed = await condition(() => state.status !== 'PENDING_EMAIL_VERIFICATION', state.input.expireAfter ?? '30 days');
  if (!progressed) {
    const { tenantId, customerId } = state.input;
    await io.recordStatus({ tenantId, customerId, status: 'EXPIRED', reason: 'No progress before the deadline' });
    state.status = 'EXPIRED';
    upsertSearchAttributes([{ key: OnboardingStatusKey, value: 'EXPIRED' }]);
  }
  return { customerId: state.input.customerId, status: state.status };
}
