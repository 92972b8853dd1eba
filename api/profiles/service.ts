/**
 * PUT /v2/profile: one set of rules whether the onboarding still waits for the profile or the customer is active.
 * - During the onboarding (before KYC) the profile goes through the workflow's completeProfile update, which
 *   moves the onboarding on (or answers 409 once KYC has started); the e-mail and phone cannot change then.
 * - For an ACTIVE customer the onboarding has ended: the change is written here, with its history row, in one
 *   transaction; a new e-mail or phone starts a contact change instead (../contact-changes/service.ts).
 * - Afterwards (SUSPENDED, BLOCKED, CLOSED, REJECTED, EXPIRED) nothing changes: 409.
 */
import { recordProfileChange, saveProfileRow, saveTaxIdsRow } from '../../activities/profile';
import type { ContactChannel } from '../../common/contact-change-contract';
import type { Knex } from '../../common/db';
import type { FieldCipher } from '../../common/field-encryption';
import { completeProfileUpdate, type Requirement } from '../../common/onboarding-contract';
import type { CustomerStatus } from '../../common/statuses';
import { openTaxIds, sealTaxIds, type TaxId } from '../../common/tax-ids';
import type { ContactChanges, ContactChangeView } from '../contact-changes/service';
import { CustomerStatusError, ValidationError, type FieldIssue } from '../http/errors';
import type { OnboardingService } from '../onboarding/service';
import type { ReferenceDataService } from '../reference/service';
import { refuseCountriesOutside, type CountryCheck } from '../tenancy/countries-of-operation';
import { ADDRESS_MATCHES_RESIDENCE, referencesOf } from './fields';
import { changedFields, columnsOf, detailsOf, mergeSections, missingRequired } from './merge';
import { readStoredProfile, type ProfileSections, type StoredProfile } from './stored';
import type { ProfileUpdate } from './update-schema';
import type { CategoryAssignment } from './category-assignment';
import { recordEvents } from '../webhooks/emit';
import type { WebhookWake } from '../webhooks/outbox';

/** Changes that may move a customer into another of the tenant's categories (their rules read these). */
const CATEGORY_FACTS = ['basic_info.country_of_residence', 'financial_profile.monthly_volume_usd'];

const ENDED: ReadonlySet<CustomerStatus> = new Set(['SUSPENDED', 'BLOCKED', 'CLOSED', 'REJECTED', 'EXPIRED']);

export interface ProfileUpdateResult {
  status: string;
  due: Requirement[];
  changedFields: string[];
  contactChanges: ContactChangeView[];
}

export interface ProfileServiceDeps {
  db: Knex;
  onboarding: Pick<OnboardingService, 'send'>;
  countries: CountryCheck;
  referenceData: Pick<ReferenceDataService, 'missingIds'>;
  taxIdCipher: FieldCipher;
  contactChanges: Pick<ContactChanges, 'check' | 'request'>;
  categories: Pick<CategoryAssignment, 'recategorize'>;
  /** Wakes the subscriptions owed a customer.profile_updated, after the change commits. */
  webhookWake: WebhookWake;
}

export function createProfileService({ db, onboarding, countries, referenceData, taxIdCipher, contactChanges, categories, webhookWake }: ProfileServiceDeps) {
  async function recategorizeAfter(tenantId: string, customerId: string, fields: string[]): Promise<void> {
    if (fields.some((field) => CATEGORY_FACTS.includes(field))) await categories.recategorize(tenantId, customerId);
  }

  /** Every rule that needs the stored profile or another table, on the profile as it would become. */
  async function refuseInvalid(tenantId: string, update: ProfileUpdate, next: ProfileSections): Promise<void> {
    const issues: FieldIssue[] = missingRequired(next).map((field) => ({ field, message: 'Required: the profile has no value for it yet' }));
    const residence = next.basic_info.country_of_residence;
    if (next.address && residence !== undefined && next.address.country !== residence) {
      issues.push(update.address ? { field: 'address.country', message: ADDRESS_MATCHES_RESIDENCE } : { field: 'basic_info.country_of_residence', message: 'Must equal address.country (give the new address too)' });
    }
    if (update.financial_profile) issues.push(...(await referenceData.missingIds(referencesOf(update.financial_profile))));
    if (issues.length) throw new ValidationError(issues);
    const residenceGiven = update.basic_info?.country_of_residence;
    if (residenceGiven) refuseCountriesOutside(await countries(tenantId, [{ field: 'basic_info.country_of_residence', alpha3: residenceGiven }]));
  }

  /** The new e-mail and phone the body asks for (what equals the stored value is no change). */
  function contactsAskedFor(stored: StoredProfile, update: ProfileUpdate): Array<{ channel: ContactChannel; value: string }> {
    const { email, phone } = update.basic_info ?? {};
    return [
      ...(email !== undefined && email !== stored.email.toLowerCase() ? [{ channel: 'EMAIL' as const, value: email }] : []),
      ...(phone !== undefined && phone !== stored.phone ? [{ channel: 'PHONE' as const, value: phone }] : []),
    ];
  }

  function taxIdsChanged(stored: StoredProfile, tenantId: string, customerId: string, given: TaxId[] | undefined): boolean {
    if (given === undefined) return false;
    const before = stored.taxIdsEncrypted ? openTaxIds(taxIdCipher, tenantId, customerId, stored.taxIdsEncrypted) : [];
    return JSON.stringify(before) !== JSON.stringify(given);
  }

  async function duringOnboarding(tenantId: string, customerId: string, update: ProfileUpdate, actor: string, stored: StoredProfile): Promise<ProfileUpdateResult> {
    const contacts = contactsAskedFor(stored, update);
    if (contacts.length) {
      throw new CustomerStatusError('The e-mail address and phone number cannot change during the onboarding; change them once the customer is ACTIVE', stored.status);
    }
    const next = mergeSections(stored.sections, update);
    await refuseInvalid(tenantId, update, next);
    const taxIds = update.basic_info?.tax_info;
    const fields = [...changedFields(stored.sections, next), ...(taxIdsChanged(stored, tenantId, customerId, taxIds) ? ['basic_info.tax_info'] : [])];
    const snapshot = await onboarding.send(tenantId, customerId, completeProfileUpdate, { ...columnsOf(next), details: detailsOf(next, stored) });
    // Sealed here, never in the update: tax ids do not travel through Temporal.
    if (taxIds !== undefined) await saveTaxIdsRow(db, tenantId, customerId, sealTaxIds(taxIdCipher, tenantId, customerId, taxIds));
    await recordProfileChange(db, { tenantId, customerId, fields, source: 'PROFILE_UPDATE', actor });
    await recategorizeAfter(tenantId, customerId, fields);
    return { status: snapshot.status, due: snapshot.due, changedFields: fields, contactChanges: [] };
  }

  async function whileActive(tenantId: string, customerId: string, update: ProfileUpdate, actor: string, stored: StoredProfile): Promise<ProfileUpdateResult> {
    const contacts = contactsAskedFor(stored, update);
    const next = mergeSections(stored.sections, update);
    await refuseInvalid(tenantId, update, next);
    // Refused before anything is written: a taken e-mail address fails the whole request.
    for (const { channel, value } of contacts) await contactChanges.check(tenantId, customerId, channel, value);
    const taxIds = update.basic_info?.tax_info;
    const { fields, subscriptionIds } = await db.transaction(async (trx) => {
      const locked = await readStoredProfile(trx, tenantId, customerId, { lock: true });
      if (locked.status !== 'ACTIVE') throw new CustomerStatusError(`The profile cannot change while the customer is ${locked.status}`, locked.status);
      const merged = mergeSections(locked.sections, update);
      const changed = [...changedFields(locked.sections, merged), ...(taxIdsChanged(locked, tenantId, customerId, taxIds) ? ['basic_info.tax_info'] : [])];
      if (changed.length === 0) return { fields: changed, subscriptionIds: [] };
      const sealed = taxIds === undefined ? undefined : sealTaxIds(taxIdCipher, tenantId, customerId, taxIds);
      await saveProfileRow(trx, { tenantId, customerId, profile: { ...columnsOf(merged), details: detailsOf(merged, locked) } }, sealed);
      await recordProfileChange(trx, { tenantId, customerId, fields: changed, source: 'PROFILE_UPDATE', actor });
      // The event exists exactly when the change does (same transaction); field names only, never values.
      const owed = await recordEvents(trx, [
        { tenantId, type: 'customer.profile_updated', subjectId: customerId, data: { customerId, customerType: 'INDIVIDUAL', changedFields: changed } },
      ]);
      return { fields: changed, subscriptionIds: owed };
    });
    await webhookWake(tenantId, subscriptionIds);
    await recategorizeAfter(tenantId, customerId, fields);
    const started: ContactChangeView[] = [];
    for (const { channel, value } of contacts) started.push(await contactChanges.request(tenantId, customerId, channel, value, actor));
    return { status: 'ACTIVE', due: [], changedFields: fields, contactChanges: started };
  }

  return {
    async update(tenantId: string, customerId: string, update: ProfileUpdate, actor: string): Promise<ProfileUpdateResult> {
      const stored = await readStoredProfile(db, tenantId, customerId);
      if (ENDED.has(stored.status)) throw new CustomerStatusError(`The profile cannot change while the customer is ${stored.status}`, stored.status);
      return stored.status === 'ACTIVE' ? whileActive(tenantId, customerId, update, actor, stored) : duringOnboarding(tenantId, customerId, update, actor, stored);
    },
  };
}

export type ProfileService = ReturnType<typeof createProfileService>;
