/**
 * The identity checks of organizations' persons (directors, UBOs, the representative) as the back office reads
 * them: each is a PERSON case named by its verification id. Owned here, with the rest of kyc_verifications' reads.
 *
 * A person's check waits on staff while it is in MANUAL_REVIEW, is the newest check of that person, and its
 * organization is still ONBOARDING (the organization's onboarding waits for every person's outcome then). An older
 * check left in MANUAL_REVIEW by a run an operator ended, or one of an organization that has moved on, does not.
 */
import type { Knex } from '../../common/db';

/** The checks waiting on staff, with the columns the queue and the case state read. */
function waitingPersonChecks(db: Knex): Knex.QueryBuilder {
  return db('kyc_verifications as v')
    .join('customers as c', function joinOrganization() {
      this.on('c.tenant_id', 'v.tenant_id').andOn('c.id', 'v.customer_id');
    })
    .where({ 'v.status': 'MANUAL_REVIEW', 'v.subject_type': 'PARTY', 'c.type': 'ORGANIZATION', 'c.status': 'ONBOARDING' })
    .whereNotExists(
      db('kyc_verifications as n')
        .whereRaw('n.tenant_id = v.tenant_id and n.customer_id = v.customer_id and n.subject_id = v.subject_id')
        .whereRaw('(n.created_at, n.id) > (v.created_at, v.id)'),
    );
}

/**
 * Persons' checks waiting on staff (`…/verifications/{id}/decision`), as the review queue's subquery: tenant_id,
 * verification_id, since (when the check entered MANUAL_REVIEW) and reason (the provider's reason code, or ours
 * when no provider answered).
 */
export function personChecksInManualReview(db: Knex): Knex.QueryBuilder {
  return waitingPersonChecks(db).select(
    'v.tenant_id',
    'v.id as verification_id',
    'v.status_changed_at as since',
    db.raw("coalesce(v.reason, 'MANUAL_REVIEW') as reason"),
  );
}

export interface PersonCheck {
  verificationId: string;
  tenantId: string;
  organizationId: string;
  partyId: string;
  status: string;
  /** The identity-verification child that runs the check (its decisions go there). */
  workflowId: string;
  /** Whether the check waits on staff now (see the module header). */
  waiting: boolean;
}

interface PersonCheckRow {
  id: string;
  tenant_id: string;
  customer_id: string;
  subject_id: string;
  status: string;
  workflow_id: string;
  waiting: boolean;
}

/** One person's check by its verification id; undefined when unknown or not a person of an organization's. */
export async function personCheckOf(db: Knex, verificationId: string): Promise<PersonCheck | undefined> {
  const row = await db('kyc_verifications as k')
    .where({ 'k.id': verificationId, 'k.subject_type': 'PARTY' })
    .first<PersonCheckRow | undefined>(
      'k.id',
      'k.tenant_id',
      'k.customer_id',
      'k.subject_id',
      'k.status',
      'k.workflow_id',
      db.raw('exists (?) as waiting', [waitingPersonChecks(db).where('v.id', verificationId).select(db.raw('1'))]),
    );
  if (!row) return undefined;
  return {
    verificationId: row.id,
    tenantId: row.tenant_id,
    organizationId: row.customer_id,
    partyId: row.subject_id,
    status: row.status,
    workflowId: row.workflow_id,
    waiting: row.waiting,
  };
}

/** Whose checks these are (organization and party), by verification id: the queue's labels. */
export async function personCheckSubjectsOf(db: Knex, verificationIds: readonly string[]): Promise<Map<string, { organizationId: string; partyId: string }>> {
  if (verificationIds.length === 0) return new Map();
  const rows = await db('kyc_verifications')
    .whereIn('id', verificationIds)
    .where({ subject_type: 'PARTY' })
    .select<Array<{ id: string; customer_id: string; subject_id: string }>>('id', 'customer_id', 'subject_id');
  return new Map(rows.map((row) => [row.id, { organizationId: row.customer_id, partyId: row.subject_id }]));
}

/**
 * Which back-office case a staff decision on this verification settles: a person of an organization's check is
 * the PERSON case itself; an individual's own check (a CUSTOMER subject, or a row from before the child workflow)
 * is the INDIVIDUAL case of its customer, so the four-eyes gate holds it whichever route decides it.
 */
export async function caseOfVerification(
  db: Knex,
  verificationId: string,
): Promise<{ caseType: 'PERSON' | 'INDIVIDUAL'; subjectId: string; decisionKind: 'IDENTITY' | 'KYC' } | undefined> {
  const row = await db('kyc_verifications').where({ id: verificationId }).first<{ customer_id: string; subject_type: string | null } | undefined>('customer_id', 'subject_type');
  if (!row) return undefined;
  return row.subject_type === 'PARTY'
    ? { caseType: 'PERSON', subjectId: verificationId, decisionKind: 'IDENTITY' }
    : { caseType: 'INDIVIDUAL', subjectId: row.customer_id, decisionKind: 'KYC' };
}
