/**
 * The KYB vendor's callbacks. The signature is checked over the body exactly as received before anything is read;
 * the decision then goes to the organization's businessVerification workflow as a signal, which counts only the
 * first answer for a check, so a callback delivered twice (or a conflicting one) has one effect.
 */
import { NotFoundError } from '../http/errors';
import { mountRoute, type Mount } from '../http/route';
import { rawBodyOf, verifySignedWebhook } from '../webhooks/signature';
import { kybWebhookPayloadSchema, providerParams } from './schemas';
import type { KybService } from './service';

export function mountKybWebhookRoutes(mount: Mount, deps: { kyb: KybService; providerName: string; secret: string }) {
  mountRoute(mount, {
    method: 'post',
    path: '/api/v2.1/webhooks/kyb/{provider}',
    summary: 'KYB provider callback (Standard Webhooks signature)',
    tag: 'Webhooks',
    security: 'none',
    ipRateLimit: 'providerWebhook',
    params: providerParams,
    // No body schema here: nothing in the body is looked at before the signature over it checks out.
    responses: {
      200: { description: 'Payload (documented for providers)', schema: kybWebhookPayloadSchema },
      202: { description: 'Accepted (duplicates and late callbacks too)' },
      400: { description: 'A signed body that is not a KYB decision' },
      401: { description: 'Missing, invalid or expired signature' },
      404: { description: 'Unknown provider or verification' },
    },
    handler: async ({ params, req }) => {
      if (params.provider !== deps.providerName) throw new NotFoundError('Unknown KYB provider');
      const payload = verifySignedWebhook(deps.secret, rawBodyOf(req), req.headers, kybWebhookPayloadSchema);
      const { tenantId, organizationId } = await deps.kyb.verificationFor(deps.providerName, payload.reference);
      if (payload.status !== 'PENDING') {
        const { reference: verificationId, checkId, status: decision, reason } = payload;
        await deps.kyb.deliverResult(tenantId, organizationId, { verificationId, checkId, decision, reason });
      }
      return { status: 202, body: { accepted: true } };
    },
  });
}
