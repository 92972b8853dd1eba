/** Sandbox outcomes for a customer's pending KYC or an organization's pending KYB. Not mounted in production. */
import { tenantOf } from '../auth/guards';
import { z } from '../http/openapi';
import { mountRoute, type Mount } from '../http/route';
import { customerId, organizationId } from '../schemas/params';
import { SANDBOX_OUTCOMES, type SandboxOutcomes } from './sandbox-outcomes';

const outcomeBody = z.strictObject({ outcome: z.enum(SANDBOX_OUTCOMES) });
const ERRORS = {
  400: { description: 'Invalid id or outcome' },
  409: { description: 'No check is pending for this subject (none started yet, or already decided)' },
  503: { description: 'The sandbox provider cannot be reached' },
};

export function mountSandboxOutcomeRoutes(mount: Mount, outcomes: SandboxOutcomes) {
  mountRoute(mount, {
    method: 'post',
    path: '/api/v2.1/sandbox/customers/{customerId}/kyc-outcome',
    summary: "Force the sandbox KYC provider's outcome for the customer's pending check (disabled in production)",
    tag: 'Sandbox',
    security: 'tenant',
    capability: ['SCT01', 'SCT02'],
    params: z.strictObject({ customerId }),
    body: outcomeBody,
    responses: {
      202: {
        description: 'The sandbox provider decides the check now; its callback moves the onboarding on as in production',
        schema: z.object({ customerId: z.string(), verificationId: z.string(), outcome: z.enum(SANDBOX_OUTCOMES) }),
      },
      ...ERRORS,
      404: { description: "No such customer (or another tenant's)" },
    },
    handler: async ({ params, body, req }) => ({ status: 202, body: await outcomes.forceKycOutcome(tenantOf(req), params.customerId, body.outcome) }),
  });

  mountRoute(mount, {
    method: 'post',
    path: '/api/v2.1/sandbox/organizations/{organizationId}/kyb-outcome',
    summary: "Force the sandbox KYB provider's outcome for the organization's pending check (disabled in production)",
    tag: 'Sandbox',
    security: 'tenant',
    capability: ['SCT01', 'SCT02'],
    params: z.strictObject({ organizationId }),
    body: outcomeBody,
    responses: {
      202: {
        description: 'The sandbox provider decides the check now; its callback moves the onboarding on as in production',
        schema: z.object({ organizationId: z.string(), verificationId: z.string(), outcome: z.enum(SANDBOX_OUTCOMES) }),
      },
      ...ERRORS,
      404: { description: "No such organization (or another tenant's)" },
    },
    handler: async ({ params, body, req }) => ({ status: 202, body: await outcomes.forceKybOutcome(tenantOf(req), params.organizationId, body.outcome) }),
  });
}
