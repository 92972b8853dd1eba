/** The tenant webhook API, composed: the catalogue, subscriptions with their delivery log, and (outside production) the sandbox trigger. */
import type { Knex } from '../../common/db';
import type { CustomerType } from '../../common/statuses';
import type { FieldCipher } from '../../common/field-encryption';
import type { Mount } from '../http/route';
import { mountEventTypeRoutes } from './event-type-routes';
import type { WebhookWake } from './outbox';
import { createSandboxEvents } from './sandbox-events';
import { mountWebhookSandboxRoutes } from './sandbox-routes';
import { mountSubscriptionRoutes } from './subscription-routes';
import { createSubscriptionService } from './subscriptions';
import type { UrlPolicy } from './url-guard';

export interface TenantWebhookDeps {
  db: Knex;
  wake: WebhookWake;
  secretCipher: FieldCipher;
  urlPolicy: UrlPolicy;
  /** The sandbox trigger's check that a named customer is the tenant's. */
  customerType(tenantId: string, customerId: string): Promise<CustomerType>;
  /** Mounts the sandbox trigger; false in production. */
  sandbox: boolean;
}

export function mountTenantWebhookRoutes(mount: Mount, deps: TenantWebhookDeps): void {
  mountEventTypeRoutes(mount);
  mountSubscriptionRoutes(mount, createSubscriptionService({ db: deps.db, cipher: deps.secretCipher, urlPolicy: deps.urlPolicy, wake: deps.wake }));
  if (deps.sandbox) mountWebhookSandboxRoutes(mount, createSandboxEvents({ db: deps.db, wake: deps.wake, customerType: deps.customerType }));
}
