/** What the API and the TPP-consent workflow agree on: its name, id, input and the signal that ends it early. */
import { defineSignal } from '@temporalio/workflow';

export const TPP_CONSENT_WORKFLOW = 'tppConsent';

/** Ids and the expiry instant only: the grant's scopes and the customer's data stay in the database. */
export interface TppConsentInput {
  tenantId: string;
  customerId: string;
  consentId: string;
  /** ISO 8601 instant the grant lapses. */
  expiresAt: string;
}

/** The grant was revoked (the API has marked the row already): the workflow ends without touching it. */
export const tppConsentRevokedSignal = defineSignal('tppConsentRevoked');

/** One workflow per grant. */
export function tppConsentWorkflowId(tenantId: string, consentId: string): string {
  return `tpp-consent:${tenantId}:${consentId}`;
}
