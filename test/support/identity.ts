/**
 * Identity-verification children driven the way an onboarding parent would: started directly with the Temporal
 * client. Parties come from a test-only `PartyReader` (the `organization_parties` table is helper "parties"'),
 * injected through the activity deps; the organization they belong to is a plain `customers` row.
 */
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { PartyReader, SubjectData } from '../../activities/identity-subjects';
import {
  identitySnapshotQuery,
  identityVerificationWorkflowId,
  type IdentityPolicy,
  type IdentitySnapshot,
  type IdentityStatus,
  type IdentityVerificationInput,
  type SubjectRole,
} from '../../common/identity-contract';
import type { identityVerification } from '../../workflows/identity-verification';
import type { Harness } from './harness';
import { staffHeaders } from './staff';
import { http } from './tenant-client';

/** Parties as helper "parties"' table would hold them, in memory. */
export function partyBook(): PartyReader & { add(tenantId: string, customerId: string, data: SubjectData): string } {
  const parties = new Map<string, SubjectData>();
  return {
    add(tenantId, customerId, data) {
      const id = `pty_${randomBytes(12).toString('hex')}`;
      parties.set(`${tenantId}/${customerId}/${id}`, data);
      return id;
    },
    async read(tenantId, customerId, partyId) {
      return parties.get(`${tenantId}/${customerId}/${partyId}`);
    },
  };
}

export { newOrganizationId as organizationRow } from './organizations';

/** Short waits: a check in seconds, an invitation expiring in a few. */
export const FAST_POLICY: IdentityPolicy = { reminderAfter: '30 seconds', expireAfter: '60 seconds', kycResultTimeout: '1 hour', kycFirstPollAfter: '1 hour' };

export async function startIdentityCheck(
  h: Harness,
  input: { tenantId: string; customerId: string; subject: IdentityVerificationInput['subject']; role?: SubjectRole; policy?: Partial<IdentityPolicy> },
) {
  const args: IdentityVerificationInput = { role: 'DIRECTOR', ...input, policy: { ...FAST_POLICY, ...input.policy } };
  return h.temporal.workflow.start<typeof identityVerification>('identityVerification', {
    taskQueue: h.config.TEMPORAL_TASK_QUEUE,
    workflowId: identityVerificationWorkflowId(input.tenantId, input.customerId, input.subject.id),
    args: [args],
  });
}

export async function waitForCheck(
  handle: { query: (q: typeof identitySnapshotQuery) => Promise<IdentitySnapshot> },
  status: IdentityStatus,
  timeoutMs = 20_000,
): Promise<IdentitySnapshot> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const snapshot = await handle.query(identitySnapshotQuery);
    if (snapshot.status === status) return snapshot;
    if (Date.now() > deadline) throw new Error(`expected ${status}, still ${snapshot.status}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

export async function staffDecision(h: Harness, verificationId: string, body: Record<string, unknown>) {
  return http(h.api.url, 'POST', `/api/v2.1/admin/verifications/${verificationId}/decision`, {
    body,
    headers: await staffHeaders(h, 'COMPLIANCE_OFFICER'),
  });
}

export function invitationCodeIn(text: string): string {
  const code = /details: ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})/.exec(text)?.[1];
  if (!code) throw new Error('no invitation code in the e-mail');
  return code;
}

/** How many times the child asked the provider for the result (each is an activity in its history). */
export async function pollsIn(handle: { fetchHistory: () => Promise<{ events?: Array<{ activityTaskScheduledEventAttributes?: { activityType?: { name?: string | null } | null } | null }> | null }> }) {
  const { events } = await handle.fetchHistory();
  return (events ?? []).filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'fetchKycResult').length;
}

/** A provider callback, signed as the provider signs it. */
export function deliverCallback(h: Harness, decision: { checkId: string; reference: string; status: string; reason?: string }) {
  const body = JSON.stringify(decision);
  const id = `msg_${randomBytes(8).toString('hex')}`;
  const sentAt = new Date();
  return http(h.api.url, 'POST', `/api/v2.1/webhooks/kyc/${h.config.KYC_PROVIDER_NAME}`, {
    rawBody: body,
    headers: {
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
      'webhook-signature': new Webhook(h.secrets.kycWebhookSecret).sign(id, sentAt, body),
    },
  });
}

/** The verification a child opened, once the provider has taken the check. */
export async function submittedVerification(h: Harness, workflowId: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await h.db('kyc_verifications').where({ workflow_id: workflowId }).first();
    if (row?.check_id) return row as { id: string; check_id: string; status: string; subject_type: string; subject_id: string; tenant_id: string };
    if (Date.now() > deadline) throw new Error(`no submitted check for ${workflowId}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}
