/** Request and response shapes of the KYB routes: the vendor's callback and staff's decision. */
import { KYB_STATUSES } from '../../common/statuses';
import { z } from '../http/openapi';
import { organizationId, slug } from '../schemas/params';

export const kybWebhookPayloadSchema = z
  .object({
    checkId: z.string().min(1),
    /** Our verification id, given to the vendor as the check's reference. */
    reference: z.string().min(1),
    status: z.enum(['APPROVED', 'REJECTED', 'REVIEW', 'PENDING']),
    reason: z.string().optional(),
  })
  .openapi('KybWebhookPayload');

export type KybWebhookPayload = z.output<typeof kybWebhookPayloadSchema>;

export const providerParams = z.object({ provider: slug });
export const organizationParams = z.object({ organizationId });

export const kybDecisionBody = z.strictObject({
  decision: z.enum(['APPROVE', 'REJECT']),
  reason: z.string().trim().min(3, 'Give the reason for the decision').max(2000),
});

export const kybDecisionResponse = z
  .object({
    organizationId: z.string(),
    verificationId: z.string(),
    kybStatus: z.enum(KYB_STATUSES),
  })
  .openapi('KybDecisionResult');
