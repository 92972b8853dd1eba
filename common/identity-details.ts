/**
 * How the details a person supplies for their identity check are sealed at rest: the API writes them, the
 * worker's activities read them, both with the field cipher for this purpose and a context bound to the row.
 */
export const IDENTITY_DETAILS_PURPOSE = 'identity-details';

/** A ciphertext copied to another subject's row fails to open. */
export function identityDetailsContext(tenantId: string, customerId: string, subjectId: string): string {
  return `identity-details:${tenantId}:${customerId}:${subjectId}`;
}
