/**
 * A new beneficiary's confirmation: sends the customer a code once (e-mail, or SMS when asked), and a new one each
 * time the edge asks (a resend, already checked against its cooldown and limit there); waits for the edge to report
 * the beneficiary settled (the code is checked there: confirmed, or failed after too many wrong codes; or the
 * beneficiary deleted). If nothing comes before the confirmation's time is up, the beneficiary EXPIRES.
 * The codes are made and hashed inside the activity: this history holds only ids.
 */
import { condition, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { createBeneficiaryConfirmationActivities } from '../activities/beneficiary-confirmation';
import {
  beneficiaryConfirmationResendSignal,
  beneficiaryConfirmationSettledSignal,
  type BeneficiaryConfirmationInput,
} from '../common/beneficiary-contract';
import { DATABASE_WRITES } from './activity-policies';

type Activities = ReturnType<typeof createBeneficiaryConfirmationActivities>;

export async function beneficiaryConfirmation({ tenantId, customerId, beneficiaryId, ttlMs }: BeneficiaryConfirmationInput): Promise<'SETTLED' | 'EXPIRED'> {
  let settled = false;
  let requested = 1;
  setHandler(beneficiaryConfirmationSettledSignal, () => void (settled = true));
  setHandler(beneficiaryConfirmationResendSignal, () => void (requested += 1));
  const deadline = Date.now() + ttlMs;
  // A code that cannot be sent within the confirmation's lifetime is useless: the send gives up then.
  const { sendBeneficiaryConfirmationCode } = proxyActivities<Activities>({ ...DATABASE_WRITES, scheduleToCloseTimeout: ttlMs });
  const { expireBeneficiary } = proxyActivities<Activities>(DATABASE_WRITES);
  const target = { tenantId, customerId, beneficiaryId };
  const sends: Array<Promise<unknown>> = [];
  for (let sent = 0; !settled; ) {
    while (sent < requested) {
      sent += 1;
      sends.push(sendBeneficiaryConfirmationCode({ ...target, idempotencyKey: `${workflowInfo().workflowId}/code-${sent}` }).catch(() => undefined));
    }
    const left = deadline - Date.now();
    if (left <= 0 || !(await condition(() => settled || requested > sent, left))) break;
  }
  if (settled) return 'SETTLED';
  await Promise.all(sends);
  // Only a beneficiary still pending expires: one the edge settled meanwhile (a lost signal) stays as it is.
  await expireBeneficiary(target);
  return 'EXPIRED';
}
