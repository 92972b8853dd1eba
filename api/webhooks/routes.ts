/** The tenant webhook API, composed: the catalogue, subscriptions with their delivery log, and (outside production) the sandbox trigger. */
import type { Knex } from '../../common/db';
import type { CustomerType } from '../../common/statuses';
import type { FieldCipher } from '../../common/field-encryption';
import type { Logger } from '../../common/logger';
import { loggableError } from '../http/errors';
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
  logger: Logger;
  wake: WebhookWake;
  secretCipher: FieldCipher;
  urlPolicy: UrlPolicy;
  /** The sandbox trigger's check that a named customer is the tenant's. */
  customerType(tenantId: string, customerId: string): Promise<CustomerType>;
  /** Mounts the sandbox trigger; false in production. */
  sandbox: boolean;
}

export function mountTenantWebhookRoutes(mount: Mount, deps: TenantWebhookDeps): void {
  const wake = loggedWake(deps.wake, deps.logger);
  mountEventTypeRoutes(mount);
  mountSubscriptionRoutes(mount, createSubscriptionService({ db: deps.db, cipher: deps.secretCipher, urlPolicy: deps.urlPolicy, wake }));
  if (deps.sandbox) mountWebhookSandboxRoutes(mount, createSandboxEvents({ db: deps.db, wake, customerType: deps.customerType }));
}

/**
 * A wake comes after the commit: the deliveries are owed whatever happens to it, and they wait in the table for the
 * subscription's next wake. So a failed wake (Temporal unreachable) is logged, not answered as a 5xx that would
 * invite the tenant to repeat a change that took place (a second test event, a second redelivery).
 */
export function loggedWake(wake: WebhookWake, logger: Logger): WebhookWake {
  return (tenantId, subscriptionIds) =>
    wake(tenantId, subscriptionIds).catch((error: unknown) => {
      logger.warn({ err: loggableError(error), tenantId, subscriptionIds }, 'webhook wake failed; the deliveries wait for the next wake');
    });
}
