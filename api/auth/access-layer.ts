/**
 * Who may call what, in one place: the guards that authenticate each kind of caller (tenant credential, customer
 * session, staff session, the bootstrap token) and the per-route checks that run after them, in this order:
 * the rate limit (a request over its budget is refused before anything else is read or recorded), the audit
 * recorder (every refusal after it is recorded), the capability gate, the staff role check, and the customer's
 * own-id scope. Routes declare what they need in their spec; nothing here knows a route by its path.
 */
import type { Client } from '@temporalio/client';
import type { RequestHandler } from 'express';
import type { Knex } from '../../common/db';
import type { Logger } from '../../common/logger';
import { auditRecorder } from '../audit/recorder';
import { createSubjectTenants } from '../audit/subjects';
import { createAuditTrail, type AuditTrail } from '../audit/trail';
import { createCustomerAuth, customerScope, type CustomerAuthDeps } from '../customer-auth';
import { loggableError } from '../http/errors';
import { createRateLimitCounter, type RateLimitCounter } from '../http/rate-limit-store';
import { createRateLimits } from '../http/rate-limits';
import type { IpRateLimit, RouteChecks, Security } from '../http/route';
import type { PasswordHasher } from '../individuals/passwords';
import { createStaffAuth, type StaffSettings } from '../staff';
import { requireStaff, staffRoleChecks } from '../staff/authenticator';
import { createTenantAccessService } from '../tenancy/access';
import { createApiKeyService } from '../tenancy/api-keys';
import { capabilityGate } from '../tenancy/capability-gate';
import { requireApiKey } from './api-key';
import { requirePlatformAdmin, requireTenant } from './guards';
import { createTokenService } from './tokens';

/** The settings the access layer reads (a part of the app's). */
export type AccessSettings = CustomerAuthDeps['settings'] & {
  accessTokenTtlSeconds: number;
  platformAdminToken: string;
  platformAdminTokenEnabled: boolean;
  staff: StaffSettings;
  rateLimitPerIpPerMinute: Record<IpRateLimit, number>;
};

export interface AccessLayerDeps {
  db: Knex;
  temporal: Client;
  logger: Logger;
  passwords: PasswordHasher;
  settings: AccessSettings;
  /** The audit trail's store; created from `db` unless given (the audit benchmark passes one that stores nothing). */
  auditTrail?: AuditTrail;
  /** Where rate-limit counts are kept (default: the `rate_limits` table); `null`: no rate limits (the limiter benchmark). */
  rateLimitCounter?: RateLimitCounter | null;
}

export function createAccessLayer({ db, temporal, logger, passwords, settings, auditTrail, rateLimitCounter }: AccessLayerDeps) {
  const tokens = createTokenService({ secret: settings.jwtSecret, issuer: settings.jwtIssuer, ttlSeconds: settings.accessTokenTtlSeconds });
  const adminGuard = requirePlatformAdmin(settings.platformAdminToken, settings.platformAdminTokenEnabled);
  const apiKeys = createApiKeyService(db);
  // What a tenant may use (tier, capabilities, rate limit, countries), read once per request: by the tenant guard,
  // in the same query that checks the token's OAuth client is still live, or by the first check that asks.
  const access = createTenantAccessService(db);
  const tenantGuard = requireTenant(tokens, access);
  const staff = createStaffAuth(db, passwords, settings.staff);
  const customerAuth = createCustomerAuth({ db, temporal, passwords, tenantTokens: tokens, tenantGuard, settings });
  const guards: Record<Security, RequestHandler[]> = {
    tenant: [tenantGuard],
    tenantOrCustomer: [customerAuth.guard],
    staff: [requireStaff(staff.authenticator)],
    platformAdmin: [adminGuard],
    apiKey: [requireApiKey(apiKeys, access)],
    none: [],
  };

  const trail =
    auditTrail ?? createAuditTrail(db, (err, pending) => logger.error({ err: loggableError(err), pending }, 'audit trail append failed; retrying'));
  const audit = auditRecorder({ trail, tenantOfSubject: createSubjectTenants(db), logger });
  const capabilities = capabilityGate(access);
  const counter = rateLimitCounter === undefined ? createRateLimitCounter({ kind: 'postgres', db }, logger) : rateLimitCounter;
  const rateLimits: RouteChecks = counter ? createRateLimits({ counter, access, perIpPerMinute: settings.rateLimitPerIpPerMinute }) : () => [];
  const checks: RouteChecks = (route) => [
    ...rateLimits(route),
    ...audit(route),
    ...capabilities(route),
    ...staffRoleChecks(route),
    ...customerScope(route),
  ];

  return { tokens, adminGuard, apiKeys, access, staff, customerAuth, guards, checks, trail };
}
