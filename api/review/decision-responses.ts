/**
 * What the four-eyes gate adds to each staff decision route's documented answers: 202 when the tenant's rule holds
 * the decision for a second compliance officer, and the 409s of claims and proposals beside the route's own.
 */
import { z } from '../http/openapi';
import { awaitingSecondReview } from './schemas';

export const decisionConflict = z
  .object({
    // IDEMPOTENCY_KEY_IN_USE: the POST routes' repeated Idempotency-Key while the first request runs.
    error: z.enum(['INVALID_STATE', 'CASE_CLAIMED', 'SECOND_REVIEWER_REQUIRED', 'PROPOSAL_PENDING', 'IDEMPOTENCY_KEY_IN_USE']),
    message: z.string(),
    details: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .openapi('DecisionConflict');

/** `notDecidable`: the route's own 409 (the case is not in review), kept first. */
export function fourEyesResponses(notDecidable?: string) {
  return {
    202: {
      description:
        "Held for a second compliance officer by the tenant's four-eyes rule (AWAITING_SECOND_REVIEW): a FOUR_EYES proposal is open, nothing went to the workflow and the case stays in review",
      schema: awaitingSecondReview,
    },
    409: {
      description: [
        `INVALID_STATE: ${notDecidable ? `${notDecidable}, or ` : ''}the proposal was resolved meanwhile`,
        'CASE_CLAIMED: another reviewer holds a live claim on the case (details: claimedBy, staffId, expiresAt)',
        'SECOND_REVIEWER_REQUIRED: you proposed this decision, or escalated the case; another compliance officer must decide',
        'PROPOSAL_PENDING: another reviewer proposed a different decision; decline that proposal first',
      ].join('; '),
      schema: decisionConflict,
    },
  };
}
