/**
 * A new beneficiary's confirmation: sends the customer a code once (e-mail, or SMS when asked), then waits for the
 * edge to report the beneficiary settled (the code is checked there: confirmed, or failed after too many wrong
 * codes; or the beneficiary deleted). If nothing comes before the code's time is up, the beneficiary EXPIRES.
 * The code is made and hashed inside the activity: this history holds only ids.
 */
import { condition, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { createBeneficiaryConfirmationActivities } from '../activities/beneficiary-confirmation';
import { beneficiaryConfirmationSettledSignal, type BeneficiaryConfirmationInput } from '../common/beneficiary-contract';
import { DATABASE_WRITES } from './activity-policies';

type Activities = ReturnType<typeof createBeneficiaryConfirmationActivities>;

export async function beneficiaryConfirmation({ tenantId, customerId, beneficiaryId, ttlMs }: BeneficiaryConfirmationInput): Promise<'SETTLED' | 'EXPIRED'> {
  let settled = false;
  setHandler(beneficiaryConfirmationSettledSignal, () => void (settled = true));
  // A code that cannot be sent within its lifetime is useless: the send gives up then and the beneficiary expires.
  const { sendBeneficiaryConfirmationCode } = proxyActivities<Activities>({ ...DATABASE_WRITES, scheduleToCloseTimeout: ttlMs });
  const { expireBeneficiary } = proxyActivities<Activities>(DATABASE_WRITES);
  const target = { tenantId, customerId, beneficiaryId };
  const sent = sendBeneficiaryConfirmationCode({ ...target, idempotencyKey: `${workflowInfo().workflowId}/code` }).catch(() => undefined);
  if (await condition(() => settled, ttlMs)) return 'SETTLED';
  await sent;
  // Only a beneficiary still pending expires: one the edge settled meanwhile (a lost signal) stays as it is.
  await expireBeneficiary(target);
  return 'EXPIRED';
}
