/**
 * Third-party providers acting for customers (PSD2-style, capability SCT12): the tenant's register of TPPs, the
 * grants customers give them, and the authorization check that refuses a revoked, expired or out-of-scope grant.
 */
import type { Client } from '@temporalio/client';
import type { Knex } from '../../common/db';
import type { Mount } from '../http/route';
import { createTppAuthorization } from './authorization';
import { mountTppConsentRoutes } from './consent-routes';
import { createTppConsents } from './consents';
import { createTppRegistry } from './registry';
import { mountTppRegistryRoutes } from './registry-routes';

export function createTpp(deps: { db: Knex; temporal: Client; taskQueue: string; callTimeoutMs: number }) {
  const consents = createTppConsents(deps);
  const registry = createTppRegistry({ db: deps.db, revokeGrantsOf: consents.revokeGrantsOf, stopWorkflows: consents.stopWorkflows });
  return { registry, consents, authorize: createTppAuthorization(deps.db) };
}

export function mountTppRoutes(mount: Mount, tpp: ReturnType<typeof createTpp>) {
  mountTppRegistryRoutes(mount, tpp.registry);
  mountTppConsentRoutes(mount, tpp.consents, tpp.authorize);
}
