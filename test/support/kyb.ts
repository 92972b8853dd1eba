/**
 * KYB test fixtures: an organization's customers row (as the organization's registration will write it, until
 * that lands), the businessVerification child started the way its parent will start it, signed vendor callbacks
 * and staff decisions sent over HTTP.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import {
  BUSINESS_VERIFICATION_WORKFLOW,
  kybWorkflowId,
  type BusinessVerificationInput,
  type KybCompany,
} from '../../common/kyb-contract';
import type { businessVerification } from '../../workflows/business-verification';
import type { Harness } from './harness';
import { staffHeaders } from './staff';
import { http } from './tenant-client';

export { newOrganizationId as insertOrganization } from './organizations';

export function company(legalName: string, overrides: Partial<KybCompany> = {}): KybCompany {
  return { legalName, registrationNumber: `RC${randomBytes(4).toString('hex').toUpperCase()}`, countryOfIncorporation: 'GBR', ...overrides };
}

/** Starts the child as the organization's onboarding will: id from the contract, this harness's task queue. */
export async function startKyb(h: Harness, input: BusinessVerificationInput) {
  return h.temporal.workflow.start<typeof businessVerification>(BUSINESS_VERIFICATION_WORKFLOW, {
    workflowId: kybWorkflowId(input.tenantId, input.organizationId),
    taskQueue: h.config.TEMPORAL_TASK_QUEUE,
    args: [input],
  });
}

/** The organization's newest verification row once `ready` holds for it. */
export async function kybRow(h: Harness, organizationId: string, ready: (row: any) => boolean = () => true, timeoutMs = 15_000) {
  for (const deadline = Date.now() + timeoutMs; ; await new Promise((resolve) => setTimeout(resolve, 100))) {
    const row = await h.db('kyb_verifications').where({ customer_id: organizationId }).orderBy('created_at', 'desc').first();
    if (row && ready(row)) return row;
    if (Date.now() > deadline) throw new Error(`kyb_verifications of ${organizationId}: ${JSON.stringify(row)}`);
  }
}

export interface Decision {
  checkId: string;
  reference: string;
  status: 'APPROVED' | 'REJECTED' | 'REVIEW' | 'PENDING';
  reason?: string;
}

/** A callback as the vendor sends it: signed over the body with `secret` at `sentAt`. */
export function signedKybCallback(h: Harness, decision: Decision, { secret = h.secrets.kybWebhookSecret, sentAt = new Date(), id = `msg_${randomUUID()}` } = {}) {
  const body = JSON.stringify(decision);
  const headers = {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(id, sentAt, body),
  };
  return { body, headers };
}

export function deliverKybCallback(h: Harness, callback: { body: string; headers: Record<string, string> }, provider = h.config.KYB_PROVIDER_NAME) {
  return http(h.api.url, 'POST', `/api/v2.1/webhooks/kyb/${provider}`, { rawBody: callback.body, headers: callback.headers });
}

/** A compliance officer's decision; `token` replaces the officer's session token. */
export async function staffKybDecision(h: Harness, organizationId: string, body: Record<string, unknown>, token?: string) {
  return http(h.api.url, 'POST', `/api/v2.1/admin/organizations/${organizationId}/kyb-decision`, {
    body,
    headers: token === undefined ? await staffHeaders(h, 'COMPLIANCE_OFFICER') : { authorization: `Bearer ${token}` },
  });
}
