/**
 * Groups of a tenant's customers (seed 001 "Group Management"): create, list, read, rename, delete. Any tier may
 * (SCT01 or SCT02); another tenant's group is a 404. Membership routes are in member-routes.ts.
 */
import { tenantOf } from '../auth/guards';
import { mountRoute, type Mount } from '../http/route';
import { createGroupBody, deleteGroupQuery, groupAnswer, groupPage, groupParams, listGroupsQuery, updateGroupBody } from './schemas';
import type { GroupService } from './service';

export const GROUPS_BASE = '/v2/customer/groups';
export const groupAccess = { tag: 'Customer groups', security: 'tenant', capability: ['SCT01', 'SCT02'] } as const;
export const tenantErrors = { 401: { description: 'Missing or invalid access token' } };
export const groupNotFound = { 404: { description: 'No such group for this tenant' } };
const nameClash = { 409: { description: 'Another group of the tenant has this name, whatever its letter case (CONFLICT, naming `name`)' } };

export function mountGroupRoutes(mount: Mount, groups: GroupService) {
  mountRoute(mount, {
    ...groupAccess,
    method: 'post',
    path: GROUPS_BASE,
    summary: 'Create a group of customers',
    body: createGroupBody,
    responses: {
      201: { description: 'The group, with no members', schema: groupAnswer },
      400: { description: 'Invalid input: name empty once trimmed, longer than 100 characters or with control characters; description likewise (500)' },
      ...tenantErrors,
      ...nameClash,
    },
    handler: async ({ body, req }) => ({ status: 201, body: { data: await groups.create(tenantOf(req), body) } }),
  });

  mountRoute(mount, {
    ...groupAccess,
    method: 'get',
    path: GROUPS_BASE,
    summary: "The tenant's groups by name, a page at a time; `name` narrows to names starting with it",
    query: listGroupsQuery,
    responses: {
      200: { description: 'A page of groups; next_cursor continues it (null: the last page)', schema: groupPage },
      400: { description: 'limit outside 1 to 100, a cursor this API did not give, or an empty name' },
      ...tenantErrors,
    },
    handler: async ({ query, req }) => ({
      status: 200,
      body: await groups.list(tenantOf(req), { limit: query.limit, cursor: query.cursor, namePrefix: query.name }),
    }),
  });

  mountRoute(mount, {
    ...groupAccess,
    method: 'get',
    path: `${GROUPS_BASE}/{groupId}`,
    summary: 'One group, with its member count',
    params: groupParams,
    responses: { 200: { description: 'The group', schema: groupAnswer }, 400: { description: 'A malformed group id' }, ...tenantErrors, ...groupNotFound },
    handler: async ({ params, req }) => ({ status: 200, body: { data: await groups.get(tenantOf(req), params.groupId) } }),
  });

  mountRoute(mount, {
    ...groupAccess,
    method: 'patch',
    path: `${GROUPS_BASE}/{groupId}`,
    summary: 'Rename a group or change its description (null clears it)',
    params: groupParams,
    body: updateGroupBody,
    responses: {
      200: { description: 'The group as changed', schema: groupAnswer },
      400: { description: 'A malformed group id, no field given, or a field as create refuses it' },
      ...tenantErrors,
      ...groupNotFound,
      ...nameClash,
    },
    handler: async ({ params, body, req }) => ({ status: 200, body: { data: await groups.update(tenantOf(req), params.groupId, body) } }),
  });

  mountRoute(mount, {
    ...groupAccess,
    method: 'delete',
    path: `${GROUPS_BASE}/{groupId}`,
    summary: 'Delete a group; one that has members only with force=true (the customers stay, only their memberships go)',
    params: groupParams,
    query: deleteGroupQuery,
    responses: {
      204: { description: 'Deleted' },
      400: { description: 'A malformed group id, or force other than true or false' },
      ...tenantErrors,
      ...groupNotFound,
      409: { description: 'The group has members and force=true was not given (CONFLICT, with `member_count` in details)' },
    },
    handler: async ({ params, query, req }) => {
      await groups.remove(tenantOf(req), params.groupId, query.force);
      return { status: 204, body: undefined };
    },
  });
}
