/**
 * Custom search attributes of onboarding workflows: what compliance staff filter on in the Temporal Web UI.
 * They carry identifiers and statuses only, never personal data. The dev stack and docker-compose register them.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const TenantIdKey = defineSearchAttributeKey('TenantId', SearchAttributeType.KEYWORD);
export const CustomerIdKey = defineSearchAttributeKey('CustomerId', SearchAttributeType.KEYWORD);
export const CustomerTypeKey = defineSearchAttributeKey('CustomerType', SearchAttributeType.KEYWORD);
export const OnboardingStatusKey = defineSearchAttributeKey('OnboardingStatus', SearchAttributeType.KEYWORD);
/** The first requirement currently due (e.g. `EMAIL_VERIFICATION`, `KYB`, `DOCUMENT:…`), for queues by step. */
export const DueRequirementKey = defineSearchAttributeKey('DueRequirement', SearchAttributeType.KEYWORD);
/** An organization's KYB status (see KYB_STATUSES). */
export const KybStatusKey = defineSearchAttributeKey('KybStatus', SearchAttributeType.KEYWORD);
/** On identity-verification workflows: whose identity (INDIVIDUAL, DIRECTOR, SHAREHOLDER, REPRESENTATIVE …). */
export const SubjectTypeKey = defineSearchAttributeKey('SubjectType', SearchAttributeType.KEYWORD);
/** On identity-verification workflows: the KYC check's status. */
export const KycStatusKey = defineSearchAttributeKey('KycStatus', SearchAttributeType.KEYWORD);

/** Name → CLI type, as `temporal operator search-attribute create` and `server start-dev` take them. */
export const SEARCH_ATTRIBUTES: Record<string, 'Keyword'> = {
  [TenantIdKey.name]: 'Keyword',
  [CustomerIdKey.name]: 'Keyword',
  [CustomerTypeKey.name]: 'Keyword',
  [OnboardingStatusKey.name]: 'Keyword',
  [DueRequirementKey.name]: 'Keyword',
  [KybStatusKey.name]: 'Keyword',
  [SubjectTypeKey.name]: 'Keyword',
  [KycStatusKey.name]: 'Keyword',
};
