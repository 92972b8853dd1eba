/**
 * Customer groups (seed 001 "Group Management"): a tenant sorts its customers into named groups. Plain services
 * over `customer_groups` and `customer_group_members`; nothing here waits on a person, so no workflow.
 */
import type { Knex } from '../../common/db';
import type { Mount } from '../http/route';
import type { TenantAccessService } from '../tenancy/access';
import { mountGroupMemberRoutes } from './member-routes';
import { createMembershipService } from './members';
import { mountGroupRoutes } from './routes';
import { createGroupService } from './service';

export function createGroups(deps: { db: Knex; access: Pick<TenantAccessService, 'forRequest'> }) {
  const groups = createGroupService(deps.db);
  const memberships = createMembershipService(deps.db);
  return {
    groups,
    memberships,
    /** Mount before any `/v2/customer/{customerId}` route: that one would take `/v2/customer/groups` for a customer id. */
    mountRoutes(mount: Mount) {
      mountGroupRoutes(mount, groups);
      mountGroupMemberRoutes(mount, memberships, deps.access);
    },
  };
}
