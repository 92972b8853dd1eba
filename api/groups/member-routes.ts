/**
 * Who is in a tenant's groups: add customers (individuals and organizations, all or nothing), remove one, list a
 * group's members, and list the groups a customer is in. Another tenant's group or customer is a 404.
 */
import { actorLabel, actorOf } from '../auth/actor';
import { tenantOf } from '../auth/guards';
import { mountRoute, type Mount } from '../http/route';
import type { TenantAccessService } from '../tenancy/access';
import { memberTypesFor, type MembershipService } from './members';
import { GROUPS_BASE, groupAccess, groupNotFound, tenantErrors } from './routes';
import { addedMembers, addMembersBody, customerGroupPage, customerGroupsParams, groupParams, memberPage, memberParams, membershipPageQuery } from './schemas';

const pageErrors = { 400: { description: 'A malformed id, limit outside 1 to 100, or a cursor this API did not give' } };

export function mountGroupMemberRoutes(mount: Mount, memberships: MembershipService, access: Pick<TenantAccessService, 'forRequest'>) {
  mountRoute(mount, {
    ...groupAccess,
    method: 'post',
    path: `${GROUPS_BASE}/{groupId}/members`,
    summary: 'Add customers to a group (1 to 100 per call), all or none; those already in it are reported, not refused',
    params: groupParams,
    body: addMembersBody,
    responses: {
      200: { description: 'Who joined now and who was a member already', schema: addedMembers },
      400: { description: 'A malformed group or customer id, no ids, or more than 100' },
      ...tenantErrors,
      404: {
        description:
          'No such group; or an id is not a customer of this tenant (an organization, for a tenant without SCT02): nothing added, `details` names each such id (`customer_ids.<index>`)',
      },
    },
    handler: async ({ params, body, req }) => {
      const tenantId = tenantOf(req);
      const { capabilities } = await access.forRequest(req, tenantId);
      const added = await memberships.add(tenantId, params.groupId, {
        customerIds: body.customer_ids,
        memberTypes: memberTypesFor(capabilities),
        addedBy: actorLabel(actorOf(req)),
      });
      return { status: 200, body: { data: added } };
    },
  });

  mountRoute(mount, {
    ...groupAccess,
    method: 'delete',
    path: `${GROUPS_BASE}/{groupId}/members/{customerId}`,
    summary: 'Remove a customer from a group',
    params: memberParams,
    responses: {
      204: { description: 'Removed' },
      400: { description: 'A malformed group or customer id' },
      ...tenantErrors,
      404: { description: 'No such group for this tenant, or the customer is not a member of it' },
    },
    handler: async ({ params, req }) => {
      await memberships.remove(tenantOf(req), params.groupId, params.customerId);
      return { status: 204, body: undefined };
    },
  });

  mountRoute(mount, {
    ...groupAccess,
    method: 'get',
    path: `${GROUPS_BASE}/{groupId}/members`,
    summary: "A group's members in the order they were added, a page at a time",
    params: groupParams,
    query: membershipPageQuery,
    responses: {
      200: { description: 'A page of members; next_cursor continues it (null: the last page)', schema: memberPage },
      ...pageErrors,
      ...tenantErrors,
      ...groupNotFound,
    },
    handler: async ({ params, query, req }) => ({ status: 200, body: await memberships.members(tenantOf(req), params.groupId, query) }),
  });

  mountRoute(mount, {
    ...groupAccess,
    method: 'get',
    path: '/v2/customer/{customerId}/groups',
    summary: 'The groups a customer is in, in the order they joined them, a page at a time',
    params: customerGroupsParams,
    query: membershipPageQuery,
    responses: {
      200: { description: 'A page of groups, each with when the customer joined it', schema: customerGroupPage },
      ...pageErrors,
      ...tenantErrors,
      404: { description: 'No such customer for this tenant' },
    },
    handler: async ({ params, query, req }) => ({ status: 200, body: await memberships.groupsOf(tenantOf(req), params.customerId, query) }),
  });
}
