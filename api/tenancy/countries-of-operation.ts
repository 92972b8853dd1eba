/**
 * SCT03, countries of operation: a tenant may onboard only individuals residing in, and organizations
 * incorporated in, the countries the platform admin configured for it. A tenant with no list (null) is not
 * restricted. The API takes ISO 3166-1 alpha-3 codes (seed 004); tenants' lists are alpha-2 (the platform admin's
 * form), compared through i18n-iso-countries. The registration services call this before anything is stored.
 */
import countries from 'i18n-iso-countries';
import { ValidationError, type FieldIssue } from '../http/errors';
import type { TenantAccessService } from './access';

/** A country a request names, and where it named it (the field path reported back). */
export interface NamedCountry {
  field: string;
  /** ISO 3166-1 alpha-3, as the API takes it. */
  alpha3: string;
}

export function countriesOutside(allowed: readonly string[] | undefined, named: NamedCountry[]): FieldIssue[] {
  if (!allowed) return [];
  return named
    .filter(({ alpha3 }) => !allowed.includes(countries.alpha3ToAlpha2(alpha3) ?? ''))
    .map(({ field, alpha3 }) => ({ field, message: `${alpha3} is not among the tenant's countries of operation` }));
}

/** The named countries outside the tenant's countries of operation, as field issues (none: all allowed). */
export type CountryCheck = (tenantId: string, named: NamedCountry[]) => Promise<FieldIssue[]>;

export function countriesOfOperation(access: Pick<TenantAccessService, 'get'>): CountryCheck {
  return async (tenantId, named) => (named.length === 0 ? [] : countriesOutside((await access.get(tenantId)).countries, named));
}

/** Refuses the request, naming each field, when a country is outside the tenant's countries of operation. */
export function refuseCountriesOutside(issues: FieldIssue[]): void {
  if (issues.length > 0) throw new ValidationError(issues, "Outside the tenant's countries of operation");
}
