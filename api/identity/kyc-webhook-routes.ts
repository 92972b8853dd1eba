/**
 * The KYC provider's callbacks. The signature is checked over the body exactly as received before anything is
 * read; the decision then goes as a signal to the workflow running the verification (an identity-verification
 * child, or the individual's onboarding for its own check), which counts only the first answer for a
 * verification, so a callback delivered twice has one effect.
 */
import type { IdentityService } from './service';
import { NotFoundError } from '../http/errors';
import { z } from '../http/openapi';
import { mountRoute, type Mount } from '../http/route';
import { slug } from '../schemas/params';
import { kycWebhookPayloadSchema, verifyKycWebhook } from '../webhooks/kyc-signature';
import { rawBodyOf } from '../webhooks/signature';

export function mountWebhookRoutes(mount: Mount, deps: { identity: IdentityService; providerName: string; secret: string }) {
  mountRoute(mount, {
    method: 'post',
    path: '/api/v2.1/webhooks/kyc/{provider}',
    summary: 'KYC provider callback (Standard Webhooks signature)',
    tag: 'Webhooks',
    security: 'none',
    ipRateLimit: 'providerWebhook',
    params: z.object({ provider: slug }),
    // No body schema here: nothing in the body is looked at before the signature over it checks out.
    responses: {
      200: { description: 'Payload (documented for providers)', schema: kycWebhookPayloadSchema },
      202: { description: 'Accepted (duplicates and late callbacks too)' },
      401: { description: 'Missing, invalid or expired signature' },
      404: { description: 'Unknown provider or verification' },
    },
    handler: async ({ params, req }) => {
      if (params.provider !== deps.providerName) throw new NotFoundError('Unknown KYC provider');
      const payload = verifyKycWebhook(deps.secret, rawBodyOf(req), req.headers);
      const { status: decision, reference: verificationId, checkId, reason } = payload;
      const known =
        decision === 'PENDING'
          ? await deps.identity.isKnownVerification(deps.providerName, verificationId) // decides nothing, but must be ours
          : await deps.identity.deliverProviderResult(deps.providerName, { verificationId, checkId, decision, reason });
      if (!known) throw new NotFoundError('Unknown verification');
      return { status: 202, body: { accepted: true } };
    },
  });
}

