/**
 * All activities, built from their clients. The worker passes real ones; tests pass real or local doubles
 * without module mocking. Workflows import only the type.
 */
import type { Knex } from '../common/db';
import type { FieldCipher } from '../common/field-encryption';
import { createBeneficiaryConfirmationActivities } from './beneficiary-confirmation';
import { createConsentActivities } from './consents';
import { createContactChangeActivities } from './contact-change';
import { createContactProofActivities } from './contact-proofs';
import { createCustomerEmailActivities } from './customer-emails';
import { createCustomerActivities } from './customers';
import { createContactVerificationActivities } from './email-verification';
import { createKybActivities } from './kyb';
import type { KybProvider } from './kyb-provider';
import { log } from '@temporalio/activity';
import type { WebhookWake } from '../api/webhooks/outbox';
import { wakeQuietly } from '../api/webhooks/emit';
import { createIdentityActivities } from './identity';
import { createSubjectResolver, type PartyReader } from './identity-subjects';
import { createKycActivities } from './kyc';
import { createPasswordResetActivities } from './password-reset';
import { createOrganizationActivities } from './organizations';
import { createOrganizationKybActivities } from './organization-kyb';
import { createOrganizationPeopleService } from '../api/organizations/people-service';
import type { TenantSettings } from '../api/tenancy/tenant-settings';
import type { KycProvider } from './kyc-provider';
import type { Mailer } from './mailer';
import { createProfileActivities } from './profile';
import type { SmsSender } from './sms';
import { createStatusActivities } from './status';
import { createTppConsentActivities } from './tpp-consents';
import { createWebhookDeliveryActivities, type WebhookDeliverySettings } from './webhook-delivery';

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
  /** Wakes the delivery workflows of subscriptions owed a newly recorded event (api/webhooks/outbox.ts). */
  webhookWake: WebhookWake;
  /** How webhook deliveries are signed, sent and retried (activities/webhook-delivery.ts). */
  webhooks: WebhookDeliverySettings;
  /** Reads an organization's parties; default: organization_parties through the people service. */
  partyReader?: PartyReader;
}

export function createActivities(given: ActivityDeps) {
  // A wake that fails must not fail (and so retry) the change it follows: its deliveries wait for the next wake.
  const deps = { ...given, webhookWake: wakeQuietly(given.webhookWake, activityWarn) };
  const tenantSettings = { get: (tenantId: string) => tenantSettingsOf(deps.db, tenantId) };
  const people = createOrganizationPeopleService(deps.db, tenantSettings);
  const partyReader: PartyReader = deps.partyReader ?? { read: (tenantId, organizationId, partyId) => people.partyIdentity(tenantId, organizationId, partyId) };
  const subjects = createSubjectResolver({ db: deps.db, partyReader, detailsCipher: deps.identityDetailsCipher });
  return {
    ...createCustomerActivities(deps),
    ...createContactVerificationActivities(deps),
    ...createContactProofActivities(deps),
    ...createPasswordResetActivities(deps),
    ...createContactChangeActivities(deps),
    ...createCustomerEmailActivities(deps),
    ...createStatusActivities(deps),
    ...createProfileActivities(deps),
    ...createConsentActivities(deps),
    ...createKycActivities({ ...deps, subjects }),
    ...createKybActivities(deps),
    ...createIdentityActivities({ ...deps, subjects }),
    ...createOrganizationActivities({ ...deps, people }),
    ...createOrganizationKybActivities({ db: deps.db, people, tenantSettings }),
    ...createWebhookDeliveryActivities(deps),
    ...createBeneficiaryConfirmationActivities(deps),
    ...createTppConsentActivities(deps),
  };
}

/** The activity's logger; a direct call outside the worker (a test) has none, so it writes to the console. */
function activityWarn(message: string, meta: Record<string, unknown>): void {
  try {
    log.warn(message, meta);
  } catch {
    console.warn(message, meta);
  }
}

/** The tenant's settings as stored (activities read them; only the API's settings service writes them). */
async function tenantSettingsOf(db: Knex, tenantId: string): Promise<TenantSettings> {
  const row = await db('tenants').where({ id: tenantId }).first<{ settings: TenantSettings } | undefined>('settings');
  if (!row) throw new Error('Tenant not found');
  return row.settings;
}

export type OnboardingActivities = ReturnType<typeof createActivities>;
