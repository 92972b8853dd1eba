/**
 * The ordered list of migrations. Listing them here (rather than letting knex scan a folder) makes the same
 * code run from TypeScript sources, from compiled `dist/` and inside jest. Names are recorded in
 * `knex_migrations`, so a migration is never renamed once it has shipped.
 */
import type { Knex } from 'knex';
import * as createTenants from './20261122000100_create_tenants';
import * as createOauthClients from './20261122000200_create_oauth_clients';
import * as createCustomers from './20261122000300_create_customers';
import * as createStatusHistory from './20261122000400_create_customer_status_history';
import * as createVerificationCodes from './20261122000500_create_verification_codes';
import * as createOutboundEmails from './20261122000600_create_outbound_emails';
import * as addTenantSettings from './20261122000700_add_tenant_settings';
import * as createCustomerProfiles from './20261122000800_create_customer_profiles';
import * as createConsents from './20261122000900_create_consents';
import * as createReferenceData from './20261122001000_create_reference_data';
import * as createKycVerifications from './20261122001100_create_kyc_verifications';
import * as createSmsOutbox from './20261122001200_create_sms_outbox';
import * as createOutboundSms from './20261122001300_create_outbound_sms';
import * as createApiKeys from './20261122001400_create_api_keys';
import * as addVerificationCodeConsumedAt from './20261122001601_add_verification_code_consumed_at';
import * as addVerificationCodeLifetimeFailures from './20261122001602_add_verification_code_lifetime_failures';
import * as createIdempotencyKeys from './20261122001801_create_idempotency_keys';
import * as createRegistrationSecrets from './20261122001900_create_registration_secrets';
import * as addCustomerProfileTaxIds from './20261122001901_add_customer_profile_tax_ids';
import * as tenantScopedCustomerKeys from './20261122002001_tenant_scoped_customer_keys';
import * as customersForOrganizations from './20261127000100_customers_for_organizations';
import * as createIndustries from './20261127002000_create_industries';
import * as createOrganizationProfiles from './20261127002100_create_organization_profiles';
import * as createOrganizationParties from './20261127003000_create_organization_parties';
import * as createOrganizationOwnerships from './20261127003100_create_organization_ownerships';
import * as createKybVerifications from './20261127004000_create_kyb_verifications';
import * as createDocuments from './20261127005000_create_documents';
import * as kycVerificationSubjects from './20261127006000_kyc_verification_subjects';
import * as createIdentitySubjectDetails from './20261127006100_create_identity_subject_details';
import * as tenantAccess from './20261127007000_tenant_access';
import * as statusHistoryActor from './20261127009500_status_history_actor';
import * as customersBlockedBy from './20261127009600_customers_blocked_by';
import * as createAuditEvents from './20261127011000_create_audit_events';
import * as auditEventsAppendOnly from './20261127011100_audit_events_append_only';
import * as createCustomerSessions from './20261127010000_create_customer_sessions';
import * as createCustomerRefreshTokens from './20261127010100_create_customer_refresh_tokens';
import * as createCustomerLoginFailures from './20261127010200_create_customer_login_failures';
import * as createCustomerTotp from './20261127010300_create_customer_totp';
import * as createCustomerPasswordResets from './20261127010400_create_customer_password_resets';
import * as oauthClientSecretVersion from './20261127007100_oauth_client_secret_version';
import * as tenantCustomAccessOnlyForCustom from './20261127007200_tenant_custom_access_only_for_custom';
import * as apiKeyRotatedAt from './20261127007300_api_key_rotated_at';
import * as createRateLimits from './20261127008000_create_rate_limits';
import * as createStaffAccounts from './20261127009000_create_staff_accounts';
import * as createStaffRecoveryCodes from './20261127009100_create_staff_recovery_codes';
import * as createStaffSessions from './20261127009200_create_staff_sessions';
import * as createStaffLoginThrottles from './20261127009300_create_staff_login_throttles';
import * as createWebhookSubscriptions from './20261127012000_create_webhook_subscriptions';
import * as createWebhookEvents from './20261127012100_create_webhook_events';
import * as createWebhookDeliveries from './20261127012200_create_webhook_deliveries';
import * as createWebhookDeliveryAttempts from './20261127012300_create_webhook_delivery_attempts';
import * as createWebhookAlertEmails from './20261127012600_create_webhook_alert_emails';
import * as webhookDeliveriesPendingIndex from './20261127013200_webhook_deliveries_pending_index';
import * as webhookDeliveriesCompletedIndex from './20261127013210_webhook_deliveries_completed_index';
import * as webhookAttemptsTimeIndex from './20261127013220_webhook_attempts_time_index';
import * as webhookEventsSubjectIndex from './20261127012700_webhook_events_subject_index';
import * as reviewClaims from './20261127020000_create_review_claims';
import * as reviewProposals from './20261127020100_create_review_proposals';
import * as kybStatusChangedAt from './20261127020300_kyb_verifications_status_changed_at';
import * as reviewQueueIndexes from './20261127020310_review_queue_indexes';
import * as reviewPersonCases from './20261127020600_review_person_cases';
import * as kycStatusChangedAt from './20261127020610_kyc_verifications_status_changed_at';
import * as createBeneficiaries from './20261128015000_create_beneficiaries';
import * as personChecksReviewIndex from './20261127020620_person_checks_review_index';
import * as createCustomerGroups from './20261128013000_create_customer_groups';
import * as createCustomerGroupMembers from './20261128013100_create_customer_group_members';
import * as createCustomerPreferences from './20261128012000_create_customer_preferences';
import * as createCustomerPreferenceChanges from './20261128012100_create_customer_preference_changes';
import * as consentsWithdrawal from './20261128012200_consents_withdrawal';
import * as consentsOncePerVersionInForce from './20261128012300_consents_once_per_version_in_force';
import * as customersCategory from './20261128010000_customers_category';
import * as customerListIndexes from './20261128010100_customer_list_indexes';
import * as dropCustomersTenantStatusIndex from './20261128010200_drop_customers_tenant_status_index';
import * as createTpps from './20261128014000_create_tpps';
import * as createTppConsents from './20261128014100_create_tpp_consents';
import * as createProfileChanges from './20261128011000_create_profile_changes';
import * as createContactChanges from './20261128011100_create_contact_changes';

type Migration = Knex.Migration;

const MIGRATIONS: ReadonlyArray<[string, Migration]> = [
  ['20261122000100_create_tenants', createTenants],
  ['20261122000200_create_oauth_clients', createOauthClients],
  ['20261122000300_create_customers', createCustomers],
  ['20261122000400_create_customer_status_history', createStatusHistory],
  ['20261122000500_create_verification_codes', createVerificationCodes],
  ['20261122000600_create_outbound_emails', createOutboundEmails],
  ['20261122000700_add_tenant_settings', addTenantSettings],
  ['20261122000800_create_customer_profiles', createCustomerProfiles],
  ['20261122000900_create_consents', createConsents],
  ['20261122001000_create_reference_data', createReferenceData],
  ['20261122001100_create_kyc_verifications', createKycVerifications],
  ['20261122001200_create_sms_outbox', createSmsOutbox],
  ['20261122001300_create_outbound_sms', createOutboundSms],
  ['20261122001400_create_api_keys', createApiKeys],
  ['20261122001601_add_verification_code_consumed_at', addVerificationCodeConsumedAt],
  ['20261122001602_add_verification_code_lifetime_failures', addVerificationCodeLifetimeFailures],
  ['20261122001801_create_idempotency_keys', createIdempotencyKeys],
  ['20261122001900_create_registration_secrets', createRegistrationSecrets],
  ['20261122001901_add_customer_profile_tax_ids', addCustomerProfileTaxIds],
  ['20261122002001_tenant_scoped_customer_keys', tenantScopedCustomerKeys],
  ['20261127000100_customers_for_organizations', customersForOrganizations],
  ['20261127002000_create_industries', createIndustries],
  ['20261127002100_create_organization_profiles', createOrganizationProfiles],
  ['20261127003000_create_organization_parties', createOrganizationParties],
  ['20261127003100_create_organization_ownerships', createOrganizationOwnerships],
  ['20261127004000_create_kyb_verifications', createKybVerifications],
  ['20261127005000_create_documents', createDocuments],
  ['20261127006000_kyc_verification_subjects', kycVerificationSubjects],
  ['20261127006100_create_identity_subject_details', createIdentitySubjectDetails],
  ['20261127007000_tenant_access', tenantAccess],
  ['20261127009500_status_history_actor', statusHistoryActor],
  ['20261127009600_customers_blocked_by', customersBlockedBy],
  ['20261127011000_create_audit_events', createAuditEvents],
  ['20261127011100_audit_events_append_only', auditEventsAppendOnly],
  ['20261127010000_create_customer_sessions', createCustomerSessions],
  ['20261127010100_create_customer_refresh_tokens', createCustomerRefreshTokens],
  ['20261127010200_create_customer_login_failures', createCustomerLoginFailures],
  ['20261127010300_create_customer_totp', createCustomerTotp],
  ['20261127010400_create_customer_password_resets', createCustomerPasswordResets],
  ['20261127007100_oauth_client_secret_version', oauthClientSecretVersion],
  ['20261127007200_tenant_custom_access_only_for_custom', tenantCustomAccessOnlyForCustom],
  ['20261127007300_api_key_rotated_at', apiKeyRotatedAt],
  ['20261127008000_create_rate_limits', createRateLimits],
  ['20261127009000_create_staff_accounts', createStaffAccounts],
  ['20261127009100_create_staff_recovery_codes', createStaffRecoveryCodes],
  ['20261127009200_create_staff_sessions', createStaffSessions],
  ['20261127009300_create_staff_login_throttles', createStaffLoginThrottles],
  ['20261127012000_create_webhook_subscriptions', createWebhookSubscriptions],
  ['20261127012100_create_webhook_events', createWebhookEvents],
  ['20261127012200_create_webhook_deliveries', createWebhookDeliveries],
  ['20261127012300_create_webhook_delivery_attempts', createWebhookDeliveryAttempts],
  ['20261127012600_create_webhook_alert_emails', createWebhookAlertEmails],
  ['20261127013200_webhook_deliveries_pending_index', webhookDeliveriesPendingIndex],
  ['20261127013210_webhook_deliveries_completed_index', webhookDeliveriesCompletedIndex],
  ['20261127013220_webhook_attempts_time_index', webhookAttemptsTimeIndex],
  ['20261127012700_webhook_events_subject_index', webhookEventsSubjectIndex],
  ['20261127020000_create_review_claims', reviewClaims],
  ['20261127020100_create_review_proposals', reviewProposals],
  ['20261127020300_kyb_verifications_status_changed_at', kybStatusChangedAt],
  ['20261127020310_review_queue_indexes', reviewQueueIndexes],
  ['20261127020600_review_person_cases', reviewPersonCases],
  ['20261127020610_kyc_verifications_status_changed_at', kycStatusChangedAt],
  ['20261127020620_person_checks_review_index', personChecksReviewIndex],
  ['20261128013000_create_customer_groups', createCustomerGroups],
  ['20261128013100_create_customer_group_members', createCustomerGroupMembers],
  ['20261128015000_create_beneficiaries', createBeneficiaries],
  ['20261128012000_create_customer_preferences', createCustomerPreferences],
  ['20261128012100_create_customer_preference_changes', createCustomerPreferenceChanges],
  ['20261128012200_consents_withdrawal', consentsWithdrawal],
  ['20261128012300_consents_once_per_version_in_force', consentsOncePerVersionInForce],
  ['20261128010000_customers_category', customersCategory],
  ['20261128010100_customer_list_indexes', customerListIndexes],
  ['20261128010200_drop_customers_tenant_status_index', dropCustomersTenantStatusIndex],
  ['20261128014000_create_tpps', createTpps],
  ['20261128014100_create_tpp_consents', createTppConsents],
  ['20261128011000_create_profile_changes', createProfileChanges],
  ['20261128011100_create_contact_changes', createContactChanges],
];

export const migrationSource: Knex.MigrationSource<[string, Migration]> = {
  getMigrations: async () => [...MIGRATIONS],
  getMigrationName: ([name]) => name,
  getMigration: async ([, migration]) => migration,
};

export async function migrateToLatest(db: Knex): Promise<string[]> {
  const [, applied] = (await db.migrate.latest({ migrationSource })) as [number, string[]];
  return applied;
}
