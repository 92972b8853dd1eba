/** Profile updates and contact changes, as one feature mounted by api/app.ts. */
import type { Client } from '@temporalio/client';
import type { Knex } from '../../common/db';
import type { FieldCipher } from '../../common/field-encryption';
import { mountContactChangeRoutes } from '../contact-changes/routes';
import { createContactChanges } from '../contact-changes/service';
import type { Mount } from '../http/route';
import type { OnboardingService } from '../onboarding/service';
import type { ReferenceDataService } from '../reference/service';
import type { CountryCheck } from '../tenancy/countries-of-operation';
import type { WebhookWake } from '../webhooks/outbox';
import type { ProfileReads } from './index';
import { mountProfileRoutes } from './update-routes';
import { createProfileService } from './service';

export interface ProfileUpdateDeps {
  db: Knex;
  temporal: Client;
  taskQueue: string;
  onboarding: OnboardingService;
  countries: CountryCheck;
  referenceData: ReferenceDataService;
  /** The read side (./index.ts): the profile view PUT answers with, and the category rules a change re-applies. */
  profileReads: Pick<ProfileReads, 'view' | 'categories'>;
  taxIdCipher: FieldCipher;
  codeHashKey: Buffer;
  contactChangeCodeTtlMinutes: number;
  callTimeoutMs: number;
  webhookWake: WebhookWake;
}

export function createProfileUpdates(deps: ProfileUpdateDeps) {
  const { db, temporal, taskQueue, codeHashKey, callTimeoutMs } = deps;
  const contactChanges = createContactChanges({ db, temporal, taskQueue, codeHashKey, codeTtlMinutes: deps.contactChangeCodeTtlMinutes, callTimeoutMs });
  const profiles = createProfileService({ ...deps, contactChanges, categories: deps.profileReads.categories });
  return {
    mountRoutes(mount: Mount) {
      mountProfileRoutes(mount, { profiles, db, view: deps.profileReads.view });
      mountContactChangeRoutes(mount, contactChanges);
    },
  };
}
