/**
 * Profiles after onboarding, the read side: the whole stored profile (view.ts), the tenant's customer list
 * (customer-list.ts) and categories (categories.ts for the rules, category-assignment.ts for the column).
 * `categories.recategorize` is for profile changes that may move a customer into another category.
 */
import type { Knex } from '../../common/db';
import type { CustomerService } from '../customers/service';
import type { TenantSettingsService } from '../tenancy/tenant-settings';
import { createCategoryAssignment } from './category-assignment';
import { listCustomers, type CustomerListQuery } from './customer-list';
import { customerProfileView } from './view';

export { mountProfileReadRoutes } from './routes';
export { customerProfileView, customerProfileV2, customerProfileResponse, type CustomerProfileV2 } from './view';
export { createCategoryAssignment, type CategoryAssignment } from './category-assignment';

export function createProfileReads({ db, customers, tenantSettings }: { db: Knex; customers: Pick<CustomerService, 'getWithProfile'>; tenantSettings: Pick<TenantSettingsService, 'get'> }) {
  return {
    /** The whole stored profile; another tenant's customer is a missing one (404). */
    view: async (tenantId: string, customerId: string) => customerProfileView(await customers.getWithProfile(tenantId, customerId)),
    list: (tenantId: string, query: CustomerListQuery) => listCustomers(db, tenantId, query),
    categories: createCategoryAssignment({ db, tenantSettings }),
  };
}

export type ProfileReads = ReturnType<typeof createProfileReads>;
