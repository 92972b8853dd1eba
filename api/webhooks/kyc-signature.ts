/** The KYC provider's callback payload, verified by the shared Standard Webhooks check (signature.ts). */
import { z } from '../http/openapi';
import { verifySignedWebhook } from './signature';

export { InvalidWebhookSignatureError, newWebhookSecret } from './signature';

export const kycWebhookPayloadSchema = z
  .object({
    checkId: z.string().min(1),
    reference: z.string().min(1),
    status: z.enum(['APPROVED', 'REJECTED', 'REVIEW', 'PENDING']),
    reason: z.string().optional(),
  })
  .openapi('KycWebhookPayload');

export type KycWebhookPayload = z.output<typeof kycWebhookPayloadSchema>;

/** The verified KYC decision, or InvalidWebhookSignatureError (401) / ValidationError (400). */
export function verifyKycWebhook(secret: string, rawBody: string | Buffer, headers: Record<string, string | string[] | undefined>): KycWebhookPayload {
  return verifySignedWebhook(secret, rawBody, headers, kycWebhookPayloadSchema);
}
