/**
 * The API's side of KYB: finds a verification for a provider's callback, and passes callbacks and staff decisions
 * to the organization's businessVerification workflow, mapping its refusals to HTTP. Owns the reads of
 * kyb_verifications; the workflow's activities own the writes.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Knex } from '../../common/db';
import {
  decideKybUpdate,
  KybFailureType,
  kybResultSignal,
  kybWorkflowId,
  type KybResult,
  type KybSnapshot,
  type KybStaffDecision,
} from '../../common/kyb-contract';
import { ApiError, NotFoundError, ServiceUnavailableError } from '../http/errors';
import { isTemporalOutage } from '../onboarding/service';
import { temporalDeadline } from '../onboarding/temporal-deadline';

export class KybNotInReviewError extends ApiError {
  constructor(message: string, status: string) {
    super(409, 'INVALID_STATE', message, [{ field: 'kybStatus', message: status }]);
  }
}

interface StaffKybCheckRow {
  id: string;
  provider: string;
  check_id: string | null;
  status: string;
  reason: string | null;
  reviewer: string | null;
  decided_by: string | null;
  registry_findings: Record<string, unknown> | null;
  created_at: Date;
  decided_at: Date | null;
}

export interface StaffKybCheck {
  verificationId: string;
  provider: string;
  providerCheckId: string | null;
  status: string;
  reason: string | null;
  reviewer: string | null;
  /** What the company registry answered (found, registered name and status, officer count). */
  registryFindings: Record<string, unknown> | null;
  startedAt: string;
  decidedAt: string | null;
}

export function createKybService({ db, temporal, callTimeoutMs }: { db: Knex; temporal: Client; callTimeoutMs: number }) {
  const withDeadline = temporalDeadline(temporal, callTimeoutMs);
  const handle = (tenantId: string, organizationId: string) => temporal.workflow.getHandle(kybWorkflowId(tenantId, organizationId));

  const latestStatus = (tenantId: string, organizationId: string) => latestKybStatus(db, tenantId, organizationId);

  return {
    /** For compliance staff (the case page): every KYB check of the organization with its findings, oldest first. */
    async staffChecks(tenantId: string, organizationId: string): Promise<StaffKybCheck[]> {
      const rows = await db('kyb_verifications')
        .where({ tenant_id: tenantId, customer_id: organizationId })
        .orderBy([{ column: 'created_at' }, { column: 'id' }])
        .select<StaffKybCheckRow[]>('id', 'provider', 'check_id', 'status', 'reason', 'reviewer', 'decided_by', 'registry_findings', 'created_at', 'decided_at');
      return rows.map((row) => ({
        verificationId: row.id,
        provider: row.provider,
        providerCheckId: row.check_id,
        status: row.status,
        reason: row.reason,
        reviewer: row.reviewer,
        registryFindings: row.registry_findings,
        startedAt: row.created_at.toISOString(),
        decidedAt: row.decided_at?.toISOString() ?? null,
      }));
    },

    /** The verification a callback names by our reference; the vendor knows no tenant, so the id alone finds it. */
    async verificationFor(provider: string, reference: string): Promise<{ tenantId: string; organizationId: string }> {
      const row = await db('kyb_verifications')
        .where({ id: reference, provider })
        .first<{ tenant_id: string; customer_id: string } | undefined>('tenant_id', 'customer_id');
      if (!row) throw new NotFoundError('Unknown verification');
      return { tenantId: row.tenant_id, organizationId: row.customer_id };
    },

    /** Hands a decision to the workflow, which counts only the first per check; an ended workflow ignores it. */
    async deliverResult(tenantId: string, organizationId: string, result: KybResult): Promise<void> {
      await withDeadline(() => handle(tenantId, organizationId).signal(kybResultSignal, result)).catch((error: unknown) => {
        if (error instanceof WorkflowNotFoundError) return;
        throw isTemporalOutage(error) ? new ServiceUnavailableError() : error;
      });
    },

    /** For platform staff only: the organization's tenant, from its id. */
    async tenantOfOrganization(organizationId: string): Promise<string> {
      const row = await db('customers').where({ id: organizationId, type: 'ORGANIZATION' }).first<{ tenant_id: string } | undefined>('tenant_id');
      if (!row) throw new NotFoundError('Organization not found');
      return row.tenant_id;
    },

    async decide(tenantId: string, organizationId: string, decision: KybStaffDecision): Promise<KybSnapshot> {
      try {
        return await withDeadline(() => handle(tenantId, organizationId).executeUpdate(decideKybUpdate, { args: [decision] }));
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) {
          throw new KybNotInReviewError('No KYB is awaiting a decision for this organization', await latestStatus(tenantId, organizationId));
        }
        if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure && error.cause.type === KybFailureType.InvalidState) {
          throw new KybNotInReviewError(error.cause.message, String(error.cause.details?.[0] ?? 'UNKNOWN'));
        }
        throw isTemporalOutage(error) ? new ServiceUnavailableError() : error;
      }
    },
  };
}

export type KybService = ReturnType<typeof createKybService>;

/**
 * The newest KYB verification's status (NOT_STARTED when there is none): for a refusal when no KYB workflow is
 * running, and for the back office's case rules (MANUAL_REVIEW: staff must decide).
 */
export async function latestKybStatus(db: Knex, tenantId: string, organizationId: string): Promise<string> {
  const row = await db('kyb_verifications')
    .where({ tenant_id: tenantId, customer_id: organizationId })
    .orderBy('created_at', 'desc')
    .first<{ status: string } | undefined>('status');
  return row?.status ?? 'NOT_STARTED';
}

/**
 * Organizations whose own KYB check waits in MANUAL_REVIEW for a staff decision (`…/kyb-decision`), with when the
 * check entered it and the provider's reason, as a subquery (tenant_id, customer_id, since, reason). Only while the
 * organization is ONBOARDING (KYB runs then; an organization already in MANUAL_REVIEW is decided as a whole), and
 * only the newest such check per organization.
 */
export function kybChecksInManualReview(db: Knex): Knex.QueryBuilder {
  return db('kyb_verifications as v')
    .join('customers as c', function joinOrganization() {
      this.on('c.tenant_id', 'v.tenant_id').andOn('c.id', 'v.customer_id');
    })
    .where({ 'v.status': 'MANUAL_REVIEW', 'c.status': 'ONBOARDING', 'c.type': 'ORGANIZATION' })
    .distinctOn('v.customer_id')
    .orderBy([{ column: 'v.customer_id' }, { column: 'v.status_changed_at', order: 'desc' }])
    .select('v.tenant_id', 'v.customer_id', 'v.status_changed_at as since', db.raw("coalesce(v.reason, 'MANUAL_REVIEW') as reason"));
}
