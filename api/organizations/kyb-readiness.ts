/**
 * What KYB needs from the tables before it may start, beyond what the workflow knows (the representative's e-mail,
 * the consents): a director, a valid ownership structure, the tenant's required documents. The workflow asks
 * through an activity when KYB is requested (activities/organization-kyb.ts, authoritative, under the row lock);
 * the API adds the same items to an organization's requirements at read time, so GET answers are truthful before
 * KYB without any route having to tell the workflow about each change of people or documents.
 */
import type { Knex } from '../../common/db';
import type { Requirements } from '../../common/lifecycle';
import { missingRequiredDocuments } from '../documents/service';
import type { TenantSettingsService } from '../tenancy/tenant-settings';
import type { OrganizationPeopleService } from './people-service';

export interface KybReadinessDeps {
  db: Knex;
  people: Pick<OrganizationPeopleService, 'dueBeforeKyb'>;
  tenantSettings: Pick<TenantSettingsService, 'get'>;
}

/** People, ownership and documents still due before KYB, in the order to fix them (`DIRECTORS`, `OWNERSHIP`, `DOCUMENT:…`). */
export async function dueBeforeKyb({ db, people, tenantSettings }: KybReadinessDeps, tenantId: string, organizationId: string, trx: Knex = db): Promise<string[]> {
  const documents = await missingRequiredDocuments({ db: trx, tenantSettings }, tenantId, organizationId);
  return [...(await people.dueBeforeKyb(tenantId, organizationId, trx)), ...documents.map((type) => `DOCUMENT:${type}`)];
}

/** The workflow's requirements with what the tables say is due before KYB, placed before KYB itself. */
export async function withTablesDue(deps: KybReadinessDeps, tenantId: string, organizationId: string, kybStatus: string | undefined, requirements: Requirements): Promise<Requirements> {
  const { currentlyDue } = requirements;
  if (kybStatus !== 'NOT_STARTED' || currentlyDue.length === 0) return requirements;
  const fromTables = await dueBeforeKyb(deps, tenantId, organizationId);
  const before = currentlyDue.filter((item) => item !== 'KYB');
  return { ...requirements, currentlyDue: [...before, ...fromTables, ...(currentlyDue.includes('KYB') ? ['KYB'] : [])] };
}
