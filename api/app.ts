/**
 * The HTTP edge: validates input, authenticates the tenant, and hands work to services that start or message
 * workflows. It holds no onboarding logic of its own.
 */
import type { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import express, { type RequestHandler } from 'express';
import type { Knex } from '../common/db';
import type { Logger } from '../common/logger';
import { createAccessLayer } from './auth/access-layer';
import { requireStaffToken, type OidcSettings } from './auth/oidc';
import { errorHandler, notFoundHandler } from './http/errors';
import { createRegistry } from './http/openapi';
import type { IpRateLimit, Mount } from './http/route';
import { mountAdminTenantRoutes } from './tenancy/admin-tenant-routes';
import { mountCodecRoutes } from './platform/codec';
import { mountCustomerRoutes } from './customers/routes';
import { createComplianceBlocks } from './customers/compliance-blocks';
import { mountComplianceBlockRoutes } from './customers/compliance-routes';
import { mountDocsRoutes } from './platform/docs';
import { mountHealthRoutes, type Lifecycle } from './platform/health';
import { httpMetrics } from './metrics/http-metrics';
import { mountMetricsRoutes } from './metrics/routes';
import { mountIndividualRoutes } from './individuals/registration-routes';
import { mountOAuthRoutes } from './tenancy/oauth-routes';
import { mountAdminApiKeyRoutes } from './tenancy/admin-api-key-routes';
import { mountV1Routes } from './individuals/v1-routes';
import type { CaptchaVerifier } from './auth/captcha';
import { mountAdminCustomerRoutes } from './onboarding/admin-routes';
import { mountOnboardingRoutes } from './onboarding/routes';
import { mountReferenceRoutes } from './reference/routes';
import { mountSandboxRoutes } from './platform/sandbox';
import { mountSandboxOutcomeRoutes } from './platform/sandbox-outcome-routes';
import { createSandboxOutcomes, type SandboxVendorUrls } from './platform/sandbox-outcomes';
import { createSmsOutboxReader } from './platform/sms-outbox';
import { mountV2CustomerRoutes } from './individuals/v2-routes';
import { mountAfterOnboardingRoutes } from './after-onboarding';
import { createPreferences } from './preferences';
import { createReferenceDataService } from './reference/service';
import { mountWebhookRoutes } from './identity/kyc-webhook-routes';
import { createIdentityService } from './identity/service';
import { mountIdentityRoutes } from './identity/routes';
import { createOnboardingService } from './onboarding/service';
import { createOnboardingRecords } from './onboarding/records';
import { createTenantSettingsService, type SettingsFloors } from './tenancy/tenant-settings';
import { createCodeChecker } from './onboarding/verification-codes';
import { createCustomerService } from './customers/service';
import { createPasswordHasher } from './individuals/passwords';
import { createRegistrationService } from './individuals/registration';
import type { FieldCipher } from '../common/field-encryption';
import { createTenantService } from './tenancy/tenants';
import { countriesOfOperation } from './tenancy/countries-of-operation';
import { createOAuthClientService } from './tenancy/oauth-clients';
import { mountAdminOAuthClientRoutes } from './tenancy/admin-oauth-client-routes';
import { createIdempotencyService } from './http/idempotency-store';
import { mountKybAdminRoutes } from './kyb/routes';
import { createKybService } from './kyb/service';
import { mountKybWebhookRoutes } from './kyb/webhook-routes';
import { mountOrganizationPeopleRoutes } from './organizations/people-routes';
import { createOrganizationPeopleService } from './organizations/people-service';
import { createOrganizationOnboardingView } from './organizations/onboarding-view';
import { createOrganizationRegistration } from './organizations/registration';
import { mountOrganizationRoutes } from './organizations/routes';
import { createOrganizationService } from './organizations/service';
import { mountDocumentRoutes } from './documents/routes';
import { createDocumentService } from './documents/service';
import type { DocumentStore } from './documents/storage';
import { createDocumentUploads } from './documents/upload';
import { mountAuditRoutes } from './audit/routes';
import { mountBackoffice } from './backoffice/static';
import { mountOperationsRoutes } from './operations/routes';
import { createReview, type ReviewSettings } from './review';
import { createFourEyes } from './review/four-eyes';
import { createOperationsService } from './operations/service';
import { createAuditService } from './audit/service';
import type { AuditTrail } from './audit/trail';
import { requestId } from './http/request-id';
import { requestLog } from './http/request-log';
import { wakeQuietly } from './webhooks/emit';
import { traceRequests } from './http/tracing';
import type { Tracer } from '@opentelemetry/api';
import type { RateLimitCounter } from './http/rate-limit-store';
import type { StaffSettings } from './staff';
import { mountTenantWebhookRoutes } from './webhooks/routes';
import type { UrlPolicy } from './webhooks/url-guard';
import { createBoundedWebhookWake } from './webhooks/wake';

export interface AppDeps {
  db: Knex;
  /** Set when tracing is on (common/tracing.ts): every request gets a server span. */
  tracer?: Tracer;
  captcha: CaptchaVerifier;
  temporal: Client;
  codec: PayloadCodec;
  logger: Logger;
  /** Where document bytes go (DOCUMENT_STORE). */
  documentStore: DocumentStore;
  /** The audit trail's store; created from `db` unless given (the audit benchmark passes one that stores nothing). */
  auditTrail?: AuditTrail;
  /**
   * Where rate-limit counts are kept (default: the `rate_limits` table in `db`). `null` mounts no rate limits at
   * all: only the limiter benchmark does that, to measure what the limiter adds.
   */
  rateLimitCounter?: RateLimitCounter | null;
  /** The sandbox KYC/KYB vendors the sandbox outcome routes instruct (not production). */
  sandboxVendors?: SandboxVendorUrls;
  /** Flipped by the server's shutdown so /ready answers 503 while in-flight requests finish. */
  lifecycle?: Lifecycle;
  settings: {
    production: boolean;
    taskQueue: string;
    kycProviderName: string;
    kycWebhookSecret: string;
    kybProviderName: string;
    kybWebhookSecret: string;
    codeHashKey: Buffer;
    platformAdminToken: string;
    /** false: the platform token opens nothing (PLATFORM_ADMIN_TOKEN_ENABLED). */
    platformAdminTokenEnabled: boolean;
    staff: StaffSettings;
    jwtSecret: string;
    jwtIssuer: string;
    accessTokenTtlSeconds: number;
    passwordHashMemoryKiB: number;
    passwordHashIterations: number;
    registrationMaxInFlight: number;
    settingsFloors: SettingsFloors;
    codecCorsOrigin: string;
    /** Who may call /codec/decode; `codecOidc` is the provider when it is `oidc`. */
    codecAuth: 'admin-token' | 'oidc' | 'none';
    codecOidc?: OidcSettings;
    temporalCallTimeoutMs: number;
    /** Encrypts the answers stored for Idempotency-Key replays. */
    idempotencyCipher: FieldCipher;
    taxIdCipher: FieldCipher;
    /** Seals the details a person supplies for their identity check. */
    identityDetailsCipher: FieldCipher;
    documentMaxBytes: number;
    customerAccessTokenTtlSeconds: number;
    customerSessionTtlSeconds: number;
    passwordResetCodeTtlMinutes: number;
    /** CONTACT_CHANGE_CODE_TTL_MINUTES: how long an active customer's new contact has to be confirmed. */
    contactChangeCodeTtlMinutes: number;
    /** Seals customers' TOTP secrets. */
    customerTotpCipher: FieldCipher;
    /** Requests per minute from one IP address to routes that declare `ipRateLimit`. */
    rateLimitPerIpPerMinute: Record<IpRateLimit, number>;
    /** Seals beneficiaries' bank accounts (api/beneficiaries). */
    beneficiaryAccountCipher: FieldCipher;
    /** How long a new beneficiary's confirmation code is good for (BENEFICIARY_CONFIRMATION_TTL_MINUTES). */
    beneficiaryConfirmationTtlMinutes: number;
    /** Seals tenants' webhook signing secrets (api/webhooks/signing-secrets.ts). */
    webhookSecretCipher: FieldCipher;
    /** Where webhook subscriptions may point (WEBHOOK_ALLOW_PRIVATE_URLS). */
    webhookUrlPolicy: UrlPolicy;
    /** Bearer token /metrics requires (METRICS_TOKEN); unset = open. */
    metricsToken?: string;
    /** The compliance back office's API (claims, the Temporal UI link). */
    review: Omit<ReviewSettings, 'namespace'>;
    /** The built back office web app (default: backoffice/dist under the project root). */
    backofficeDir?: string;
  };
}

export function buildApp({ db, temporal, codec, captcha, logger, lifecycle, settings, documentStore, auditTrail, rateLimitCounter, sandboxVendors, tracer }: AppDeps): express.Express {
  const app = express();
  if (tracer) app.use(traceRequests(tracer));
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(requestId);
  app.use(requestLog(logger));
  app.use(httpMetrics);
  // Keep the raw bytes too: webhook signatures are checked over the body exactly as it was sent.
  app.use(express.json({ limit: '100kb', verify: (req, _res, buf) => ((req as express.Request).rawBody = buf) }));
  app.use(express.urlencoded({ extended: false, limit: '20kb' }));

  const passwords = createPasswordHasher({ memoryKiB: settings.passwordHashMemoryKiB, iterations: settings.passwordHashIterations });
  const { tokens, adminGuard, apiKeys, access, staff, customerAuth, guards, checks, trail } = createAccessLayer({
    db,
    temporal,
    logger,
    passwords,
    settings,
    auditTrail,
    rateLimitCounter,
  });
  const router = express.Router();
  const idempotency = createIdempotencyService({ db, cipher: settings.idempotencyCipher, logger });
  const countries = countriesOfOperation(access);
  const mount: Mount = { router, registry: createRegistry(), guards, idempotency, checks };
  const tenants = createTenantService(db);
  const tenantSettings = createTenantSettingsService(db, settings.settingsFloors);
  const fourEyes = createFourEyes({ db, tenantSettings, claimMinutes: settings.review.claimMinutes });
  const onboarding = createOnboardingService({ db, temporal, callTimeoutMs: settings.temporalCallTimeoutMs });

  mountHealthRoutes(router, db, temporal, lifecycle);
  mountMetricsRoutes(router, { db, token: settings.metricsToken, logger });
  mountCodecRoutes(router, codec, settings.codecCorsOrigin, codecGuard(settings, adminGuard), logger);
  staff.mountRoutes(mount);
  mountAdminTenantRoutes(mount, tenants, tenantSettings);
  const records = createOnboardingRecords(db);
  const identity = createIdentityService({
    db,
    temporal,
    onboarding,
    codeHashKey: settings.codeHashKey,
    detailsCipher: settings.identityDetailsCipher,
    callTimeoutMs: settings.temporalCallTimeoutMs,
  });
  mountAdminCustomerRoutes(mount, { identity, records, fourEyes });
  const oauthClients = createOAuthClientService(db);
  mountOAuthRoutes(mount, oauthClients, tokens);
  mountAdminOAuthClientRoutes(mount, oauthClients);
  customerAuth.mount(mount);
  const registration = createRegistrationService({
    db,
    temporal,
    taskQueue: settings.taskQueue,
    passwords,
    maxInFlight: settings.registrationMaxInFlight,
    temporalCallTimeoutMs: settings.temporalCallTimeoutMs,
    taxIdCipher: settings.taxIdCipher,
  });
  const referenceData = createReferenceDataService(db);
  mountIndividualRoutes(mount, { registration, captcha, tenants: access });
  mountAdminApiKeyRoutes(mount, apiKeys);
  mountV1Routes(mount, { registration, captcha, tenants: access });
  // Services that record webhook events wake the subscriptions after the commit; there a failed wake is only logged.
  const boundedWake = createBoundedWebhookWake(temporal, settings.taskQueue, settings.temporalCallTimeoutMs);
  const webhookWake = wakeQuietly(boundedWake, (message, meta) => logger.warn(meta, message));
  const customers = createCustomerService(db, webhookWake);
  mountCustomerRoutes(mount, customers);
  mountComplianceBlockRoutes(mount, createComplianceBlocks(db, webhookWake));
  const documents = createDocumentService(db, webhookWake);
  const customerType = async (tenantId: string, customerId: string) => (await customers.get(tenantId, customerId)).customerType;
  const documentDeps = { documents, store: documentStore, customerType, maxBytes: settings.documentMaxBytes };
  mountDocumentRoutes(mount, { ...documentDeps, fourEyes, uploads: createDocumentUploads({ ...documentDeps, logger }) });
  const people = createOrganizationPeopleService(db, tenantSettings);
  const organizationOnboarding = createOrganizationOnboardingView({ db, people, tenantSettings, onboarding });
  const organizations = createOrganizationService({ db, onboarding, records, view: organizationOnboarding, webhookWake });
  const organizationRegistration = createOrganizationRegistration({
    db,
    temporal,
    referenceData,
    taskQueue: settings.taskQueue,
    maxInFlight: settings.registrationMaxInFlight,
    temporalCallTimeoutMs: settings.temporalCallTimeoutMs,
  });
  mountOrganizationRoutes(mount, { registration: organizationRegistration, organizations, captcha, fourEyes, tenants: access });
  const preferences = createPreferences({ db, tenantSettings, webhookWake });
  mountOnboardingRoutes(mount, { onboarding, codes: createCodeChecker(db, settings.codeHashKey), records, startKyb: organizations.startKyb, organizationOnboarding, consents: preferences.consents });
  mountReferenceRoutes(mount, referenceData);
  mountV2CustomerRoutes(mount, { customers, records, registration, referenceData, tenants: access, onboarding });
  mountAfterOnboardingRoutes(mount, { db, temporal, access, onboarding, customers, tenantSettings, referenceData, countries, preferences, webhookWake, settings });
  const kyb = createKybService({ db, temporal, callTimeoutMs: settings.temporalCallTimeoutMs });
  mountKybWebhookRoutes(mount, { kyb, providerName: settings.kybProviderName, secret: settings.kybWebhookSecret });
  mountKybAdminRoutes(mount, kyb, fourEyes);
  mountIdentityRoutes(mount, identity, fourEyes);
  mountWebhookRoutes(mount, { identity, providerName: settings.kycProviderName, secret: settings.kycWebhookSecret });
  mountOrganizationPeopleRoutes(mount, people);
  mountTenantWebhookRoutes(mount, {
    db,
    logger,
    wake: boundedWake,
    secretCipher: settings.webhookSecretCipher,
    urlPolicy: settings.webhookUrlPolicy,
    customerType,
    sandbox: !settings.production,
  });
  if (!settings.production) {
    mountSandboxRoutes(mount, createSmsOutboxReader(db));
    mountSandboxOutcomeRoutes(mount, createSandboxOutcomes({ db, vendors: sandboxVendors ?? {} }));
  }
  mountAuditRoutes(mount, createAuditService(trail, settings.codeHashKey));
  mountOperationsRoutes(mount, createOperationsService({ db, temporal, taskQueue: settings.taskQueue, namespace: temporal.options.namespace }));
  const cases = { customers, records, identity, kyb, organizations, people, organizationView: organizationOnboarding, onboarding, documents, tenantSettings };
  createReview({ db, temporal, settings: { ...settings.review, namespace: temporal.options.namespace }, cases }).mountRoutes(mount);
  mountDocsRoutes(router, mount.registry);
  mountBackoffice(router, settings.backofficeDir, logger);

  app.use(router);
  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}

/** In oidc mode only the provider's staff tokens open /codec: the admin token skips the required claim. */
function codecGuard(settings: AppDeps['settings'], adminGuard: RequestHandler): RequestHandler[] {
  if (settings.codecAuth === 'admin-token') return [adminGuard];
  if (settings.codecAuth === 'none') return [];
  if (!settings.codecOidc) throw new Error('codecOidc is required when codecAuth is oidc');
  return [requireStaffToken(settings.codecOidc)];
}
