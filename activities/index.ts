/**
 * All activities, built from their clients. The worker passes real ones; tests pass real or local doubles
 * without module mocking. Workflows import only the type.
 */
import type { Knex } from '../common/db';
import type { FieldCipher } from '../common/field-encryption';
import { createConsentActivities } from './consents';
import { createContactProofActivities } from './contact-proofs';
import { createCustomerEmailActivities } from './customer-emails';
import { createCustomerActivities } from './customers';
import { createContactVerificationActivities } from './email-verification';
import { createKybActivities } from './kyb';
import type { KybProvider } from './kyb-provider';
import { createIdentityActivities } from './identity';
import { createSubjectResolver, noPartyRecords, type PartyReader } from './identity-subjects';
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
  kybProvider: KybProvider;
  codeHashKey: Buffer;
  codeTtlMinutes: number;
  /** Opens what a person supplied for their identity check (`identity_subject_details`). */
  identityDetailsCipher: FieldCipher;
  /** Reads an organization's parties; until helper "parties" supplies one, parties are known by supplied details only. */
  partyReader?: PartyReader;
}

export function createActivities(deps: ActivityDeps) {
  const subjects = createSubjectResolver({ db: deps.db, partyReader: deps.partyReader ?? noPartyRecords, detailsCipher: deps.identityDetailsCipher });
  return {
    ...createCustomerActivities(deps),
    ...createContactVerificationActivities(deps),
    ...createContactProofActivities(deps),
    ...createCustomerEmailActivities(deps),
    ...createStatusActivities(deps),
    ...createProfileActivities(deps),
    ...createConsentActivities(deps),
    ...createKycActivities({ ...deps, subjects }),
    ...createKybActivities(deps),
    ...createIdentityActivities({ ...deps, subjects }),
    ...createOrganizationActivities(deps),
  };
}

export type OnboardingActivities = ReturnType<typeof createActivities>;
