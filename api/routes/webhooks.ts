/**
 * The KYC provider's callbacks. The signature is checked over the body exactly as received before anything is
 * read; the decision then goes to the customer's workflow as a signal, which counts only the first answer for a
 * verification, so a callback delivered twice has one effect.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Knex } from '../../common/db';
import { kycResultSignal, onboardingWorkflowId } from '../../common/onboarding-contract';
import { NotFoundError, ServiceUnavailableError } from '../http/errors';
import { z } from '../http/openapi';
import { mountRoute, type Mount } from '../http/route';
import { slug } from '../schemas/params';
import { isTemporalOutage } from '../services/onboarding';
import { temporalDeadline } from '../services/temporal-deadline';
import { kycWebhookPayloadSchema, verifyKycWebhook } from '../webhooks/kyc-signature';
import { rawBodyOf } from '../webhooks/signature';

export function mountWebhookRoutes(mount: Mount, deps: { db: Knex; temporal: Client; providerName: string; secret: string; temporalCallTimeoutMs: number }) {
  const withDeadline = temporalDeadline(deps.temporal, deps.temporalCallTimeoutMs);
  mountRoute(mount, {
    method: 'post',
    path: '/api/v2.1/webhooks/kyc/{provider}',
    summary: 'KYC provider callback (Standard Webhooks signature)',
    tag: 'Webhooks',
    security: 'none',
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
      const verification = await deps.db('kyc_verifications')
        .where({ id: payload.reference, provider: deps.providerName })
        .first<{ tenant_id: string; customer_id: string } | undefined>('tenant_id', 'customer_id');
      if (!verification) throw new NotFoundError('Unknown verification');
      const decision = payload.status;
      if (decision !== 'PENDING') {
        const handle = deps.temporal.workflow.getHandle(onboardingWorkflowId(verification.tenant_id, verification.customer_id));
        await withDeadline(() =>
          handle.signal(kycResultSignal, { verificationId: payload.reference, checkId: payload.checkId, decision, reason: payload.reason }),
        ).catch((error: unknown) => {
          if (error instanceof WorkflowNotFoundError) return; // the onboarding has ended: nothing left to decide
          throw isTemporalOutage(error) ? new ServiceUnavailableError() : error;
        });
      }
      return { status: 202, body: { accepted: true } };
    },
  });
}

