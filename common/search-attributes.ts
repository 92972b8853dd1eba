/**
 * Custom search attributes of onboarding workflows: what compliance staff filter on in the Temporal Web UI.
 * They carry identifiers and statuses only, never personal data. The dev stack and docker-compose register them.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const TenantIdKey = defineSearchAttributeKey('TenantId', SearchAttributeType.KEYWORD);
export const CustomerIdKey = defineSearchAttributeKey('CustomerId', SearchAttributeType.KEYWORD);
export const CustomerTypeKey = defineSearchAttributeKey('CustomerType', SearchAttributeType.KEYWORD);
export const OnboardingStatusKey = defineSearchAttributeKey('OnboardingStatus', SearchAttributeType.KEYWORD);

/** Name → CLI type, as `temporal operator search-attribute create` and `server start-dev` take them. */
export const SEARCH_ATTRIBUTES: Record<string, 'Keyword'> = {
  [TenantIdKey.name]: 'Keyword',
  [CustomerIdKey.name]: 'Keyword',
  [CustomerTypeKey.name]: 'Keyword',
  [OnboardingStatusKey.name]: 'Keyword',
};
