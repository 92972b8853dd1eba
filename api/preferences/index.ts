/** Preferences and consent changes after onboarding: the services, and the mount for the preferences routes. */
import type { Knex } from '../../common/db';
import type { Mount } from '../http/route';
import type { TenantSettingsService } from '../tenancy/tenant-settings';
import type { WebhookWake } from '../webhooks/outbox';
import { createConsentChanges } from './consents';
import { mountPreferencesRoutes } from './routes';
import { createPreferencesService } from './service';

export function createPreferences(deps: { db: Knex; tenantSettings: TenantSettingsService; webhookWake: WebhookWake }) {
  const preferences = createPreferencesService(deps.db);
  return {
    /** For the consents routes (api/onboarding/routes.ts): giving after onboarding, and withdrawing. */
    consents: createConsentChanges(deps),
    mountRoutes: (mount: Mount) => mountPreferencesRoutes(mount, preferences),
  };
}
