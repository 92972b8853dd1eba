/**
 * What a PUT makes of the stored profile, and which fields it changed. Pure: the service reads and writes.
 * basic_info is merged field by field; a name given without its `_en` twin drops the stored twin (it would
 * transliterate the old name). address, financial_profile and meta_data are replaced whole. The e-mail, phone and
 * tax ids are not merged here: contacts change through a contact change, tax ids are sealed apart.
 */
import type { ProfileDetails } from '../../common/onboarding-contract';
import { storedAddressOf } from './fields';
import type { ProfileSections } from './stored';
import type { ProfileUpdate } from './update-schema';

const TWINNED = ['first_name', 'middle_name', 'last_name'] as const;
const APART = new Set(['email', 'phone', 'tax_info']);

export function mergeSections(current: ProfileSections, update: ProfileUpdate): ProfileSections {
  const basic = { ...current.basic_info };
  for (const [field, value] of Object.entries(update.basic_info ?? {})) {
    if (APART.has(field) || value === undefined) continue;
    basic[field] = value;
    if ((TWINNED as readonly string[]).includes(field) && update.basic_info?.[`${field}_en` as keyof typeof update.basic_info] === undefined) delete basic[`${field}_en`];
  }
  return {
    ...current,
    basic_info: basic,
    address: update.address ?? current.address,
    financial_profile: update.financial_profile ?? current.financial_profile,
    meta_data: update.meta_data ?? current.meta_data,
  };
}

/** Dotted names of the fields whose value differs (`basic_info.last_name`, `address.city`, `meta_data.reference`). */
export function changedFields(before: ProfileSections, after: ProfileSections): string[] {
  const sections = ['basic_info', 'address', 'financial_profile', 'meta_data'] as const;
  return sections.flatMap((section) => {
    const a = (before[section] ?? {}) as Record<string, unknown>;
    const b = (after[section] ?? {}) as Record<string, unknown>;
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.filter((key) => JSON.stringify(a[key]) !== JSON.stringify(b[key])).map((key) => `${section}.${key}`);
  });
}

/** The fields the onboarding (and any stored profile) cannot do without, named as the body names them. */
export function missingRequired(sections: ProfileSections): string[] {
  const missing = (['dob', 'primary_nationality', 'country_of_residence'] as const).filter((f) => sections.basic_info[f] === undefined).map((f) => `basic_info.${f}`);
  return sections.address ? missing : [...missing, 'address'];
}

/** The columns and names the sections come to (the columns hold Latin text where a twin was given). */
export function columnsOf(sections: ProfileSections): ProfileDetails {
  const basic = sections.basic_info as Record<string, string>;
  return {
    dateOfBirth: basic.dob,
    nationality: basic.primary_nationality,
    countryOfResidence: basic.country_of_residence,
    address: storedAddressOf(sections.address!),
    names: { firstName: basic.first_name_en ?? basic.first_name, lastName: basic.last_name_en ?? basic.last_name },
  };
}

/** What `customer_profiles.details` keeps: the sections as given, with the contacts as they stand. */
export function detailsOf(sections: ProfileSections, contacts: { email: string; phone: string | null }): Record<string, unknown> {
  return {
    ...sections,
    basic_info: { ...sections.basic_info, email: contacts.email, ...(contacts.phone ? { phone: contacts.phone } : {}) },
  };
}
