/**
 * A customer's life after onboarding (issue 11): the whole profile and the customer list, profile updates and
 * contact changes, preferences, groups, third-party providers and beneficiaries, mounted in one place because
 * their order matters: Express matches in order, so every route under a literal `/v2/customer/<name>` (groups,
 * tpps, profiles) comes before `/v2/customer/{customerId}`, which would otherwise take the name for a bad id.
 */
import type { Client } from '@temporalio/client';
import type { Knex } from '../common/db';
import type { FieldCipher } from '../common/field-encryption';
import { createBeneficiaries } from './beneficiaries';
import type { CustomerService } from './customers/service';
import { createGroups } from './groups';
import type { Mount } from './http/route';
import type { OnboardingService } from './onboarding/service';
import type { createPreferences } from './preferences';
import { createProfileReads, mountProfileReadRoutes } from './profiles';
import { createProfileUpdates } from './profiles/updates';
import type { ReferenceDataService } from './reference/service';
import type { TenantAccessService } from './tenancy/access';
import type { CountryCheck } from './tenancy/countries-of-operation';
import type { TenantSettingsService } from './tenancy/tenant-settings';
import { createTpp, mountTppRoutes } from './tpp';
import type { WebhookWake } from './webhooks/outbox';

export interface AfterOnboardingDeps {
  db: Knex;
  temporal: Client;
  access: Pick<TenantAccessService, 'forRequest'>;
  onboarding: OnboardingService;
  customers: CustomerService;
  tenantSettings: TenantSettingsService;
  referenceData: ReferenceDataService;
  countries: CountryCheck;
  /** Created before the onboarding routes, which give and withdraw consents through it. */
  preferences: ReturnType<typeof createPreferences>;
  /** Wakes webhook subscriptions after a change commits (a failure is logged, never the change's). */
  webhookWake: WebhookWake;
  settings: {
    taskQueue: string;
    codeHashKey: Buffer;
    temporalCallTimeoutMs: number;
    taxIdCipher: FieldCipher;
    beneficiaryAccountCipher: FieldCipher;
    beneficiaryConfirmationTtlMinutes: number;
    contactChangeCodeTtlMinutes: number;
  };
}

export function mountAfterOnboardingRoutes(mount: Mount, deps: AfterOnboardingDeps): void {
  const { db, temporal, tenantSettings, settings } = deps;
  const workflows = { temporal, taskQueue: settings.taskQueue, callTimeoutMs: settings.temporalCallTimeoutMs };
  // Literal paths first (see the header).
  createGroups({ db, access: deps.access }).mountRoutes(mount);
  mountTppRoutes(mount, createTpp({ db, ...workflows }));
  const profileReads = createProfileReads({ db, customers: deps.customers, tenantSettings });
  mountProfileReadRoutes(mount, profileReads);

  createProfileUpdates({
    db,
    ...workflows,
    onboarding: deps.onboarding,
    countries: deps.countries,
    referenceData: deps.referenceData,
    profileReads,
    taxIdCipher: settings.taxIdCipher,
    codeHashKey: settings.codeHashKey,
    contactChangeCodeTtlMinutes: settings.contactChangeCodeTtlMinutes,
    webhookWake: deps.webhookWake,
  }).mountRoutes(mount);
  deps.preferences.mountRoutes(mount);
  createBeneficiaries({
    db,
    ...workflows,
    tenantSettings,
    codeHashKey: settings.codeHashKey,
    accountCipher: settings.beneficiaryAccountCipher,
    confirmationTtlMinutes: settings.beneficiaryConfirmationTtlMinutes,
  }).mountRoutes(mount);
}
