/** The platform admin's management of staff accounts: create (with a setup token), list, roles, disable, sessions. */
import { actorOf } from '../auth/actor';
import { z } from '../http/openapi';
import { mountRoute, type Mount } from '../http/route';
import type { StaffAccounts } from './accounts';
import * as s from './schemas';

const TAG = 'Staff administration';
const params = z.object({ staffId: s.staffId });
const refusals = { 401: { description: 'No live staff session' }, 403: { description: 'Not a PLATFORM_ADMIN' } };

export function mountStaffAdminRoutes(mount: Mount, accounts: StaffAccounts) {
  mountRoute(mount, {
    method: 'post',
    path: '/api/v2.1/admin/staff',
    summary: 'Create a staff account; its holder enrols with the setup token (password, then TOTP)',
    tag: TAG,
    security: 'staff',
    roles: ['PLATFORM_ADMIN'],
    body: s.newStaffBody,
    idempotent: false,
    responses: {
      201: { description: 'Created; the setup token is shown only now', schema: s.createdStaffSchema },
      400: { description: 'Invalid input (roles, or a tenant for a role that takes none)' },
      ...refusals,
      409: { description: 'The e-mail has an account' },
    },
    handler: async ({ body, req }) => ({ status: 201, body: await accounts.create(actorOf(req).id, body), headers: { 'Cache-Control': 'no-store' } }),
  });
  mountRoute(mount, {
    method: 'get',
    path: '/api/v2.1/admin/staff',
    summary: 'Every staff account',
    tag: TAG,
    security: 'staff',
    roles: ['PLATFORM_ADMIN'],
    responses: { 200: { description: 'Accounts, oldest first', schema: z.object({ staff: z.array(s.staffAccountSchema) }) }, ...refusals },
    handler: async () => ({ status: 200, body: { staff: await accounts.list() } }),
  });
  mountRoute(mount, {
    method: 'put',
    path: '/api/v2.1/admin/staff/{staffId}/roles',
    summary: "Set a staff account's roles (applies to its sessions from their next request)",
    tag: TAG,
    security: 'staff',
    roles: ['PLATFORM_ADMIN'],
    params,
    body: s.setRolesBody,
    responses: {
      200: { description: 'The account', schema: s.staffAccountSchema },
      400: { description: 'Invalid input' },
      ...refusals,
      404: { description: 'No such account' },
      409: { description: 'Your own account' },
    },
    handler: async ({ params: { staffId }, body, req }) => ({ status: 200, body: await accounts.setRoles(actorOf(req).id, staffId, body) }),
  });
  mountRoute(mount, {
    method: 'post',
    path: '/api/v2.1/admin/staff/{staffId}/disable',
    summary: 'Disable a staff account and end its sessions at once',
    tag: TAG,
    security: 'staff',
    roles: ['PLATFORM_ADMIN'],
    params,
    responses: {
      200: { description: 'The account', schema: s.staffAccountSchema },
      ...refusals,
      404: { description: 'No such account' },
      409: { description: 'Your own account' },
    },
    handler: async ({ params: { staffId }, req }) => ({ status: 200, body: await accounts.disable(actorOf(req).id, staffId) }),
  });
  mountRoute(mount, {
    method: 'delete',
    path: '/api/v2.1/admin/staff/{staffId}/sessions',
    summary: 'End every session of a staff account at once',
    tag: TAG,
    security: 'staff',
    roles: ['PLATFORM_ADMIN'],
    params,
    responses: { 200: { description: 'How many were ended', schema: z.object({ revoked: z.number().int() }) }, ...refusals, 404: { description: 'No such account' } },
    handler: async ({ params: { staffId } }) => ({ status: 200, body: { revoked: await accounts.revokeSessions(staffId) } }),
  });
}
