/**
 * All activities, built from their clients. The worker passes real ones; tests pass real or local doubles
 * without module mocking. Workflows import only the type.
 */
import type { Knex } from '../common/db';
import { createConsentActivities } from './consents';
import { createContactProofActivities } from './contact-proofs';
import { createCustomerEmailActivities } from './customer-emails';
import { createCustomerActivities } from './customers';
import { createContactVerificationActivities } from './email-verification';
import { createKycActivities } from './kyc';
import { createOrganizationActivities } from './organizations';
import type { KycProvider } from './kyc-provider';
import type { Mailer } from './mailer';
import { createProfileActivities } from './profile';
import type { SmsSender } from './sms';
import { createStatusActivities } from './status';

export interface ActivityDeps {
  db: Knex;
  mailer: Mailer;
  sms: SmsSender;
  kycProvider: KycProvider;
  codeHashKey: Buffer;
  codeTtlMinutes: number;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createCustomerActivities(deps),
    ...createContactVerificationActivities(deps),
    ...createContactProofActivities(deps),
    ...createCustomerEmailActivities(deps),
    ...createStatusActivities(deps),
    ...createProfileActivities(deps),
    ...createConsentActivities(deps),
    ...createKycActivities(deps),
    ...createOrganizationActivities(deps),
  };
}

export type OnboardingActivities = ReturnType<typeof createActivities>;
