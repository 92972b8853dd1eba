/**
 * Organizations for tests of the routes around one, until they can be registered through the API: a `customers`
 * row of type ORGANIZATION as registration will write it (its person columns name the representative). Kept
 * apart so the tests switch to `POST /organization/registration` by changing this file only.
 */
import { randomBytes } from 'node:crypto';
import type { Harness } from './harness';
import { uniqueEmail } from './tenant-client';

export interface TestOrganization {
  organizationId: string;
  path: string;
}

export async function createOrganization(h: Harness, tenantId: string, status = 'ONBOARDING'): Promise<TestOrganization> {
  const organizationId = `org_${randomBytes(12).toString('hex')}`;
  await h.db('customers').insert({
    id: organizationId,
    tenant_id: tenantId,
    type: 'ORGANIZATION',
    status,
    first_name: 'Rita',
    last_name: 'Representative',
    email: uniqueEmail('representative'),
  });
  return { organizationId, path: `/api/v2.1/customer/${organizationId}` };
}

/** Moves the organization on, as its onboarding would once verification starts. */
export async function setOrganizationStatus(h: Harness, tenantId: string, organizationId: string, status: string): Promise<void> {
  await h.db('customers').where({ tenant_id: tenantId, id: organizationId }).update({ status });
}
