/**
 * Talks to a customer's running onboarding: reads its state and sends it the customer's, tenant's and staff's
 * actions. The workflow decides whether an action fits the current step; this maps its refusals to HTTP.
 */
import {
  ServiceError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  type Client,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { UpdateDefinition } from '@temporalio/common';
import type { Knex } from '../../common/db';
import {
  FailureType,
  onboardingWorkflowId,
  snapshotQuery,
  type OnboardingSnapshot,
  type Requirement,
} from '../../common/onboarding-contract';
import { lifecycleOf, NO_REQUIREMENTS, type LifecycleStatus, type Requirements } from '../../common/lifecycle';
import type { OrganizationSnapshot } from '../../common/organization-contract';
import { identitySnapshotQuery, identityVerificationWorkflowId, type IdentitySnapshot } from '../../common/identity-contract';
import type { CustomerStatus } from '../../common/statuses';
import { ApiError, NotFoundError, RateLimitExceededError, ServiceUnavailableError } from '../http/errors';
import { temporalDeadline } from './temporal-deadline';

export class InvalidStateError extends ApiError {
  constructor(message: string, status: string, due: readonly string[]) {
    super(409, 'INVALID_STATE', message, [
      { field: 'status', message: status },
      { field: 'due', message: due.length ? due.join(', ') : 'nothing: the onboarding has ended' },
    ]);
  }
}

/** Temporal errors that mean "try again later" rather than a bug. */
export function isTemporalOutage(error: unknown): boolean {
  return error instanceof ServiceError || error instanceof WorkflowUpdateRPCTimeoutOrCancelledError;
}

export function createOnboardingService({ db, temporal, callTimeoutMs }: { db: Knex; temporal: Client; callTimeoutMs: number }) {
  const withDeadline = temporalDeadline(temporal, callTimeoutMs);
  async function customerStatus(tenantId: string, customerId: string): Promise<CustomerStatus> {
    const row = await db('customers').where({ tenant_id: tenantId, id: customerId }).first<{ status: CustomerStatus } | undefined>('status');
    if (!row) throw new NotFoundError('Customer not found');
    return row.status;
  }

  const handle = (tenantId: string, customerId: string) => temporal.workflow.getHandle(onboardingWorkflowId(tenantId, customerId));

  /** An individual's or an organization's snapshot: both carry `status` and `due`, which is what callers read here. */
  async function snapshot(tenantId: string, customerId: string): Promise<(OnboardingSnapshot | OrganizationSnapshot) & OnboardingLifecycle> {
    const status = await customerStatus(tenantId, customerId);
    try {
      return withLifecycle(await withDeadline(() => handle(tenantId, customerId).query(snapshotQuery)), status);
    } catch (error) {
      // Workflow history gone (retention) or never there: the database row still tells the status.
      if (error instanceof WorkflowNotFoundError) return withLifecycle({ customerId, status, due: [], verificationEmailSent: true, consents: [] }, status);
      throw isTemporalOutage(error) ? new ServiceUnavailableError() : error;
    }
  }

  return {
    customerStatus,
    snapshot,

    /** A person's identity check (a child of an organization's onboarding); undefined when it never ran. */
    async identitySnapshot(tenantId: string, customerId: string, subjectId: string): Promise<IdentitySnapshot | undefined> {
      try {
        return await withDeadline(() => temporal.workflow.getHandle(identityVerificationWorkflowId(tenantId, customerId, subjectId)).query(identitySnapshotQuery));
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return undefined;
        throw isTemporalOutage(error) ? new ServiceUnavailableError() : error;
      }
    },

    /**
     * Refuses early (409) when `requirement` is not due now, before the caller spends a code on it. Reads `due`, not
     * the status, so it serves individuals (due in PENDING_EMAIL_VERIFICATION) and organizations (ONBOARDING) alike.
     */
    async expectDue(tenantId: string, customerId: string, requirement: Requirement, action: string): Promise<void> {
      const current = await snapshot(tenantId, customerId);
      if (!(current.due as readonly string[]).includes(requirement)) {
        throw new InvalidStateError(`Cannot ${action} while the onboarding is ${current.status}`, current.status, current.due);
      }
    },

    async send<Ret, Args extends unknown[]>(tenantId: string, customerId: string, update: UpdateDefinition<Ret, Args>, ...args: Args): Promise<Ret> {
      await customerStatus(tenantId, customerId);
      try {
        // The typed definition keeps callers honest; the call itself goes by name (its overloads need fixed arity).
        return (await withDeadline(() => handle(tenantId, customerId).executeUpdate(update.name, { args: args as unknown as [unknown] }))) as Ret;
      } catch (error) {
        throw await toApiError(error, () => snapshot(tenantId, customerId));
      }
    },
  };
}

export interface OnboardingLifecycle {
  lifecycleStatus: LifecycleStatus;
  requirements: Requirements;
}

/** Staff set SUSPENDED, BLOCKED and CLOSED on the customer row after the workflow has ended: the row tells those. */
const SET_BY_STAFF: ReadonlySet<string> = new Set(['SUSPENDED', 'BLOCKED', 'CLOSED']);

/**
 * The lifecycle status and requirements the workflow answers; for a status staff set later, or a snapshot without
 * them (a worker older than them, or no workflow history left), what the customer row implies: nothing due.
 */
function withLifecycle<T extends OnboardingSnapshot | OrganizationSnapshot>(snapshot: T, rowStatus: CustomerStatus): T & OnboardingLifecycle {
  if (SET_BY_STAFF.has(rowStatus)) return { ...snapshot, lifecycleStatus: lifecycleOf(rowStatus), requirements: NO_REQUIREMENTS };
  return {
    ...snapshot,
    lifecycleStatus: snapshot.lifecycleStatus ?? lifecycleOf(snapshot.status),
    requirements: snapshot.requirements ?? NO_REQUIREMENTS,
  };
}

async function toApiError(error: unknown, current: () => Promise<OnboardingSnapshot | OrganizationSnapshot>): Promise<unknown> {
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
    const failure = error.cause;
    if (failure.type === FailureType.InvalidState) {
      const [status, due] = failure.details as [string, string[]];
      return new InvalidStateError(failure.message, status, due);
    }
    if (failure.type === FailureType.ResendTooSoon) return new RateLimitExceededError(Number(failure.details?.[0] ?? 60), failure.message);
    if (failure.type === FailureType.CodeNotSent) return new ServiceUnavailableError(failure.message, Number(failure.details?.[0] ?? 60));
    return new ServiceUnavailableError('The onboarding could not take this action, please retry');
  }
  if (error instanceof WorkflowNotFoundError) {
    const { status } = await current();
    return new InvalidStateError(`The onboarding has ended as ${status}`, status, []);
  }
  if (isTemporalOutage(error)) return new ServiceUnavailableError();
  return error;
}

export type OnboardingService = ReturnType<typeof createOnboardingService>;
