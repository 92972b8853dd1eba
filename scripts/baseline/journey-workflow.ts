/**
 * The baseline journey: the least a Temporal onboarding can be while making the same calls as one project
 * onboarding of the bench's journey (register, e-mail code, verify, profile, three consents, KYC, activation):
 * 8 updates, 1 signal, 1 local activity and 19 activities, each on the project's own policy for its kind. Each
 * update checks the step in its validator, runs its activities and answers; e-mails go out beside the steps. One
 * workflow (no KYC child), no search attributes, memo, reminders, expiry notices, polling, manual review or
 * continue-as-new: every difference from the project's workflow is the project's to explain.
 */
import { allHandlersFinished, ApplicationFailure, condition, log, proxyActivities, proxyLocalActivities, setHandler, uuid4, workflowInfo } from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import { DATABASE_WRITES, providerCalls, REGISTRATION_INSERT, SIDE_NOTICES } from '../../workflows/activity-policies';
import type { BaselineRegistration } from './contract';
import type { EmailTemplate, JourneyActivities } from './journey-activities';
import {
  activateUpdate,
  consentUpdate,
  journeyRegisterUpdate,
  kycResultSignal,
  profileUpdate,
  REQUIRED_CONSENTS,
  startKycUpdate,
  statusQuery,
  verifyEmailUpdate,
  type JourneyAnswer,
  type JourneyStatus,
  type KycCallback,
} from './journey-contract';

const { insertCustomer } = proxyLocalActivities<JourneyActivities>(REGISTRATION_INSERT);
const db = proxyActivities<JourneyActivities>(DATABASE_WRITES);
const provider = proxyActivities<JourneyActivities>(providerCalls([]));
const notices = proxyActivities<JourneyActivities>(SIDE_NOTICES);

/** How long a step may wait on the customer or tenant, and on the provider's callback. */
const WAIT_FOR_PERSON = '30 days';
const WAIT_FOR_PROVIDER = '1 day';

export async function baselineOnboarding(): Promise<void> {
  let status = 'REGISTERING' as JourneyStatus;
  let person: BaselineRegistration | undefined;
  let kyc: { verificationId: string; result?: KycCallback } | undefined;
  const consents = new Set<string>();
  const mails: Array<Promise<void>> = [];
  const answer = () => ({ customerId: person?.customerId ?? '', status });
  const customerId = () => person!.customerId;
  const moveTo = async (next: JourneyStatus) => {
    await db.recordStatus({ customerId: customerId(), status: next });
    status = next;
  };
  const onlyAt = (...allowed: JourneyStatus[]) => () => {
    if (!allowed.includes(status)) throw ApplicationFailure.nonRetryable(`Not allowed while the onboarding is ${status}`, 'InvalidState');
  };
  const email = (template: EmailTemplate, send = notices.sendEmail) =>
    mails.push(
      send({ key: `${workflowInfo().workflowId}/${template}`, customerId: customerId(), email: person!.email, template }).catch(() => {
        log.warn('E-mail not sent', { template }); // beside the steps: a lost notice does not hold the onboarding
      }),
    );

  setHandler(statusQuery, answer);
  setHandler(
    journeyRegisterUpdate,
    async (registration) => {
      person = registration;
      try {
        const { createdAt } = await insertCustomer(registration);
        status = 'PENDING_EMAIL_VERIFICATION';
        return { ...answer(), createdAt };
      } catch (error) {
        status = 'REGISTRATION_FAILED'; // the update fails with the activity's failure; nothing was stored
        throw error;
      }
    },
    { validator: (_registration) => onlyAt('REGISTERING')() },
  );
  /** A step's update: refused unless the onboarding is at `allowed`, then its activities, then the new status. */
  const step = <Args extends unknown[]>(update: UpdateDefinition<JourneyAnswer, Args>, allowed: JourneyStatus, work: (...args: Args) => Promise<void>) =>
    setHandler(update, async (...args: Args) => (await work(...args), answer()), { validator: (..._args: Args) => onlyAt(allowed)() });
  step(verifyEmailUpdate, 'PENDING_EMAIL_VERIFICATION', async ({ code }) => {
    await db.consumeCode({ customerId: customerId(), code });
    await moveTo('PENDING_PROFILE');
  });
  step(profileUpdate, 'PENDING_PROFILE', async (profile) => {
    await db.saveProfile({ customerId: customerId(), profile });
    await moveTo('PENDING_CONSENTS');
  });
  step(consentUpdate, 'PENDING_CONSENTS', async ({ type, version }) => {
    await db.saveConsent({ customerId: customerId(), type, version });
    consents.add(type);
    // Recorded after every consent, as the project records what is still due after each one.
    await moveTo(REQUIRED_CONSENTS.every((required) => consents.has(required)) ? 'PENDING_KYC' : 'PENDING_CONSENTS');
  });
  step(activateUpdate, 'KYC_APPROVED', () => moveTo('ACTIVE'));
  setHandler(
    startKycUpdate,
    async () => {
      kyc = { verificationId: `ver_${uuid4().replace(/-/g, '')}` }; // before any await: a second start meets it
      await db.openVerification({ customerId: customerId(), verificationId: kyc.verificationId });
      await moveTo('KYC_IN_PROGRESS');
      return { ...answer(), verificationId: kyc.verificationId };
    },
    {
      validator: () => {
        onlyAt('PENDING_KYC')();
        if (kyc) throw ApplicationFailure.nonRetryable('KYC has already been started', 'InvalidState');
      },
    },
  );
  setHandler(kycResultSignal, (callback) => {
    if (kyc && !kyc.result && callback.verificationId === kyc.verificationId) kyc.result = callback;
  });

  // Update-with-start delivers the registration in the very first workflow task.
  await condition(() => status !== 'REGISTERING');
  if (status === 'REGISTRATION_FAILED') return;
  email('verification-code', db.sendEmail);
  if (await condition(() => status === 'KYC_IN_PROGRESS', WAIT_FOR_PERSON)) {
    await provider.submitKycCheck({ customerId: customerId(), verificationId: kyc!.verificationId });
    if (await condition(() => kyc!.result !== undefined, WAIT_FOR_PROVIDER)) {
      const { decision } = kyc!.result!;
      await db.recordKycOutcome({ verificationId: kyc!.verificationId, decision });
      await moveTo(decision === 'APPROVED' ? 'KYC_APPROVED' : 'REJECTED');
      if (decision === 'APPROVED') {
        email('kyc-approved');
        if (await condition(() => status === 'ACTIVE', WAIT_FOR_PERSON)) email('welcome');
      }
    }
  }
  if (!['ACTIVE', 'REJECTED'].includes(status)) status = 'EXPIRED';
  await Promise.all(mails);
  await condition(allHandlersFinished);
}
