/**
 * An organization's people and owners (v2.1, seed 002): directors, employees and shareholders, added and removed
 * while the organization onboards, and the ultimate beneficial owners computed from the ownership chain.
 * `GET /shareholders` marks each UBO; `GET /ubos` lists just them, the persons who must be verified as owners.
 */
import { tenantOf } from '../auth/guards';
import { z } from '../http/openapi';
import { mountRoute, type Mount } from '../http/route';
import type { OrganizationPeopleService } from './people-service';
import {
  directorBody,
  employeeBody,
  organizationId,
  partyId,
  partyListResponse,
  partyResponse,
  shareholderBody,
  shareholderListResponse,
  shareholderResponse,
  uboListResponse,
  type PartyRole,
} from './people-schemas';

const BASE = '/api/v2.1/customer/{orgId}';
const orgParams = z.object({ orgId: organizationId });
const partyParams = orgParams.extend({ partyId });

const errors = {
  400: { description: 'Invalid input, or ownership that would exceed 100 % or go round in a circle (VALIDATION_ERROR)' },
  401: { description: 'Missing or invalid access token' },
  404: { description: 'No such organization for this tenant' },
};
const locked = { 409: { description: 'The people can no longer change: the organization\'s verification has started (INVALID_STATE)' } };

/** Directors and employees work alike; the seed names the employee route in the singular. */
const PERSON_ROLES = [
  { role: 'DIRECTOR', addPath: '/directors', listPath: '/directors', body: directorBody, noun: 'director', plural: 'directors' },
  { role: 'EMPLOYEE', addPath: '/employee', listPath: '/employees', body: employeeBody, noun: 'employee', plural: 'employees' },
] as const;

export function mountOrganizationPeopleRoutes(mount: Mount, people: OrganizationPeopleService) {
  const route = (path: string, summary: string) => ({ path: `${BASE}${path}`, summary, tag: 'Organization people', security: 'tenant' as const, capability: 'SCT02' as const });

  for (const { role, addPath, listPath, body, noun, plural } of PERSON_ROLES) {
    mountRoute(mount, {
      method: 'post',
      ...route(addPath, `Add a ${noun} (a person already in the organization, by e-mail, takes the role too)`),
      params: orgParams,
      body,
      responses: { 201: { description: `The ${noun}`, schema: partyResponse }, ...errors, ...locked },
      handler: async ({ params, body, req }) => ({ status: 201, body: await people.addPerson(tenantOf(req), params.orgId, role, body) }),
    });
    mountRoute(mount, {
      method: 'get',
      ...route(listPath, `The organization's ${plural}`),
      params: orgParams,
      responses: { 200: { description: `The ${plural}, oldest first`, schema: partyListResponse }, ...errors },
      handler: async ({ params, req }) => ({ status: 200, body: { data: await people.list(tenantOf(req), params.orgId, role) } }),
    });
  }

  mountRoute(mount, {
    method: 'post',
    ...route('/shareholders', 'Add a shareholder (a person or a company) of the organization or, with ownerOf, of a company shareholder'),
    params: orgParams,
    body: shareholderBody,
    responses: { 201: { description: 'The shareholder, with its effective ownership', schema: shareholderResponse }, ...errors, ...locked },
    handler: async ({ params, body, req }) => ({ status: 201, body: await people.addShareholder(tenantOf(req), params.orgId, body) }),
  });

  mountRoute(mount, {
    method: 'get',
    ...route('/shareholders', 'The shareholders, with their holdings, effective ownership and whether each is a UBO'),
    params: orgParams,
    responses: { 200: { description: 'Every shareholder, direct or up a chain', schema: shareholderListResponse }, ...errors },
    handler: async ({ params, req }) => {
      const { views, threshold } = await people.shareholders(tenantOf(req), params.orgId);
      return { status: 200, body: { data: views, uboThresholdPercent: threshold } };
    },
  });

  mountRoute(mount, {
    method: 'get',
    ...route('/ubos', "The ultimate beneficial owners: persons whose effective ownership reaches the tenant's threshold"),
    params: orgParams,
    responses: { 200: { description: 'The UBOs, largest share first', schema: uboListResponse }, ...errors },
    handler: async ({ params, req }) => {
      const { views, threshold } = await people.ubos(tenantOf(req), params.orgId);
      return { status: 200, body: { data: views, uboThresholdPercent: threshold } };
    },
  });

  const removals: Array<{ role: PartyRole; path: string; noun: string }> = [
    { role: 'DIRECTOR', path: '/directors/{partyId}', noun: 'director' },
    { role: 'EMPLOYEE', path: '/employees/{partyId}', noun: 'employee' },
    { role: 'SHAREHOLDER', path: '/shareholders/{partyId}', noun: 'shareholder (a company: with the holdings above it)' },
  ];
  for (const { role, path, noun } of removals) {
    mountRoute(mount, {
      method: 'delete',
      ...route(path, `Remove a ${noun}; a party left with no role is removed, its record kept`),
      params: partyParams,
      responses: { 204: { description: 'Removed' }, ...errors, 404: { description: `No such organization, or no such ${role.toLowerCase()} in it` }, ...locked },
      handler: async ({ params, req }) => {
        await people.removeRole(tenantOf(req), params.orgId, params.partyId, role);
        return { status: 204, body: undefined };
      },
    });
  }
}
