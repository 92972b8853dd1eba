/**
 * A customer's password reset (or first password, for a customer created without one): mails a code once, and
 * removes it when its time is up unless the edge reports it used first. One run per address at a time (the API
 * starts it with USE_EXISTING), which also caps the guesses: five per code, one code per lifetime.
 * The code is made and hashed inside the activity: this history holds only ids.
 */
import { condition, proxyActivities, setCurrentDetails, setHandler, workflowInfo } from '@temporalio/workflow';
import type { createPasswordResetActivities } from '../activities/password-reset';
import { passwordResetCompletedSignal, type PasswordResetInput } from '../common/password-reset-contract';
import { currentDetailsText } from '../common/workflow-labels';
import { DATABASE_WRITES, SIDE_NOTICES } from './activity-policies';

const { sendPasswordResetCode } = proxyActivities<ReturnType<typeof createPasswordResetActivities>>(SIDE_NOTICES);
const { expirePasswordResetCode } = proxyActivities<ReturnType<typeof createPasswordResetActivities>>(DATABASE_WRITES);

export async function customerPasswordReset({ tenantId, customerId, codeTtlMinutes }: PasswordResetInput): Promise<'SENT' | 'NO_ACCOUNT'> {
  if (!customerId) return 'NO_ACCOUNT';
  let completed = false;
  setHandler(passwordResetCompletedSignal, () => void (completed = true));
  const { workflowId, runId } = workflowInfo();
  const idempotencyKey = `${workflowId}/${runId}/code`;
  setCurrentDetails(currentDetailsText({ step: 'SENDING_CODE', waitingOn: 'nobody', due: [] }));
  await sendPasswordResetCode({ tenantId, customerId, idempotencyKey, ttlMinutes: codeTtlMinutes });
  setCurrentDetails(currentDetailsText({ step: 'CODE_SENT', waitingOn: 'customer', due: ['PASSWORD_RESET_CODE'] }));
  // The edge also refuses a code past its expires_at: this removes it, and ends the run so a new one can start.
  if (!(await condition(() => completed, codeTtlMinutes * 60_000))) {
    await expirePasswordResetCode({ tenantId, customerId, idempotencyKey });
  }
  setCurrentDetails(currentDetailsText({ step: completed ? 'COMPLETED' : 'CODE_EXPIRED', waitingOn: 'nobody', due: [] }));
  return 'SENT';
}
