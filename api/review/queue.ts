/**
 * The review queue: every case waiting on staff, across tenants, oldest first. Five kinds, each read through the
 * module that owns its tables: individuals and organizations in MANUAL_REVIEW (api/customers), organizations whose
 * own KYB check is in MANUAL_REVIEW (api/kyb), organizations' persons whose identity check is in MANUAL_REVIEW
 * (api/identity), documents no reviewer has decided (api/documents). Each owner gives a subquery; this file only
 * maps them onto the case vocabulary.
 *
 * Why one UNION ALL query here rather than one read per kind merged in code: the filters (the `claimed` one included, a
 * join on api/review/claims.ts's live-claims subquery), the order and the keyset cursor must apply to all kinds at
 * once, or a page would be short, out of order, or skip cases between pages. Labels, tenant names, claims and
 * proposals are read afterwards for the page's cases only.
 */
import type { Knex } from '../../common/db';
import { customersInManualReview } from '../customers/service';
import { documentsAwaitingReview } from '../documents/service';
import { ValidationError } from '../http/errors';
import { z } from '../http/openapi';
import { personChecksInManualReview, personCheckSubjectsOf } from '../identity/person-checks';
import { kybChecksInManualReview } from '../kyb/service';
import { partyRolesOf } from '../organizations/people-rows';
import { businessNamesOf } from '../organizations/service';
import { tenantNamesOf } from '../tenancy/tenant-names';
import { caseKey, type CaseRef } from './case-ref';
import type { ReviewClaims } from './claims';
import type { ReviewProposals } from './proposals';
import { caseType as caseTypeSchema, subjectId as subjectIdSchema, type CaseType, type DecisionKind, type queueItemSchema, type queuePage, type queueQuery } from './schemas';

export type QueueQuery = z.output<typeof queueQuery>;
export type QueueItem = z.output<typeof queueItemSchema>;
export type QueuePage = z.output<typeof queuePage>;

/** Why a document is in the queue: it was uploaded and nobody has decided on it. */
export const DOCUMENT_UPLOADED = 'DOCUMENT_UPLOADED';

interface Branch {
  caseType: CaseType;
  decisionKind: DecisionKind;
  /** The owner's subquery: tenant_id, the subject's id column, since, and `reason` unless the kind has a fixed one. */
  rows: (db: Knex) => Knex.QueryBuilder;
  subject: 'customer_id' | 'document_id' | 'verification_id';
  /** Why every case of the kind waits, when the owner's rows do not say. */
  fixedReason?: string;
  /** The owner's column that labels the case (organizations and persons are labelled by name after paging). */
  label: 'customer_id' | 'type' | 'verification_id';
}

const BRANCHES: readonly Branch[] = [
  { caseType: 'INDIVIDUAL', decisionKind: 'KYC', rows: (db) => customersInManualReview(db, 'INDIVIDUAL'), subject: 'customer_id', label: 'customer_id' },
  { caseType: 'ORGANIZATION', decisionKind: 'ORGANIZATION_REVIEW', rows: (db) => customersInManualReview(db, 'ORGANIZATION'), subject: 'customer_id', label: 'customer_id' },
  { caseType: 'ORGANIZATION', decisionKind: 'KYB', rows: kybChecksInManualReview, subject: 'customer_id', label: 'customer_id' },
  { caseType: 'PERSON', decisionKind: 'IDENTITY', rows: personChecksInManualReview, subject: 'verification_id', label: 'verification_id' },
  { caseType: 'DOCUMENT', decisionKind: 'DOCUMENT', rows: documentsAwaitingReview, subject: 'document_id', fixedReason: DOCUMENT_UPLOADED, label: 'type' },
];

interface QueueRow {
  case_type: CaseType;
  subject_id: string;
  tenant_id: string;
  decision_kind: DecisionKind;
  reason: string;
  label: string;
  waiting_since: Date;
  /** waiting_since to the microsecond, for the cursor (a Date keeps milliseconds only). */
  waiting_key: string;
  waiting_seconds: number;
}

/** A position in the queue: after the case with this waiting time (to the microsecond), type and subject. */
const cursorSchema = z.tuple([
  // A real calendar time PostgreSQL can read (it has no year 0): a cursor never reaches the database as a cast error.
  z.iso.datetime({ precision: 6 }).refine((at) => !at.startsWith('0000-')),
  caseTypeSchema,
  subjectIdSchema,
]);
type Cursor = z.output<typeof cursorSchema>;

const encodeCursor = (row: QueueRow): string => Buffer.from(JSON.stringify([row.waiting_key, row.case_type, row.subject_id])).toString('base64url');

function decodeCursor(cursor: string): Cursor {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new ValidationError([{ field: 'cursor', message: 'Not a cursor this queue gave' }]);
  }
}

export function createReviewQueue(db: Knex, claims: ReviewClaims, proposals: ReviewProposals) {
  /** The waiting cases of the chosen kinds, as one relation in the case vocabulary. */
  function waitingCases(caseType?: CaseType): Knex.Raw {
    const branches = BRANCHES.filter((branch) => !caseType || branch.caseType === caseType).map((branch) =>
      db.from(branch.rows(db).as('b')).select(
        db.raw('?::text as case_type', [branch.caseType]),
        db.raw('?? as subject_id', [`b.${branch.subject}`]),
        'b.tenant_id',
        db.raw('?::text as decision_kind', [branch.decisionKind]),
        branch.fixedReason ? db.raw('?::text as reason', [branch.fixedReason]) : 'b.reason',
        db.raw('??::text as label', [`b.${branch.label}`]),
        'b.since as waiting_since',
      ),
    );
    return db.raw(branches.map(() => '(?)').join(' union all '), branches);
  }

  function select(filter: { caseType?: CaseType; subjectId?: string; tenantId?: string }): Knex.QueryBuilder {
    const query = db
      .from(db.raw('(?) as q', [waitingCases(filter.caseType)]))
      .select<QueueRow[]>(
        'q.*',
        db.raw(`to_char(q.waiting_since at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as waiting_key`),
        db.raw('floor(extract(epoch from now() - q.waiting_since))::int as waiting_seconds'),
      );
    if (filter.subjectId) query.where('q.subject_id', filter.subjectId);
    if (filter.tenantId) query.where('q.tenant_id', filter.tenantId);
    return query;
  }

  async function itemsOf(rows: QueueRow[], viewerStaffId: string): Promise<QueueItem[]> {
    const refs: CaseRef[] = rows.map((row) => ({ caseType: row.case_type, subjectId: row.subject_id }));
    const [liveClaims, openProposals, tenantNames, labels] = await Promise.all([
      claims.liveFor(refs, viewerStaffId),
      proposals.openFor(refs, viewerStaffId),
      tenantNamesOf(db, rows.map((row) => row.tenant_id)),
      labelsOf(db, rows),
    ]);
    return rows.map((row) => {
      const key = caseKey({ caseType: row.case_type, subjectId: row.subject_id });
      return {
        caseType: row.case_type,
        subjectId: row.subject_id,
        tenantId: row.tenant_id,
        tenantName: tenantNames.get(row.tenant_id) ?? null,
        decisionKind: row.decision_kind,
        reason: row.reason,
        waitingSince: row.waiting_since.toISOString(),
        waitingSeconds: Math.max(0, row.waiting_seconds),
        label: labels.get(key) ?? row.label,
        claim: liveClaims.get(key) ?? null,
        proposal: openProposals.get(key) ?? null,
      };
    });
  }

  return {
    /** One page of the queue, oldest first; every filter applies (AND) before paging. */
    async list(query: QueueQuery, viewerStaffId: string): Promise<QueuePage> {
      const after = query.cursor ? decodeCursor(query.cursor) : undefined;
      const rows = select(query)
        .leftJoin(claims.liveClaimsQuery().as('lc'), function joinClaim() {
          this.on('lc.case_type', 'q.case_type').andOn('lc.subject_id', 'q.subject_id');
        })
        .orderBy([{ column: 'q.waiting_since' }, { column: 'q.case_type' }, { column: 'q.subject_id' }])
        .limit(query.limit + 1);
      if (query.reason) rows.where('q.reason', query.reason);
      if (query.minWaitingMinutes !== undefined) rows.whereRaw('q.waiting_since <= now() - make_interval(mins => ?)', [query.minWaitingMinutes]);
      if (query.claimed === 'mine') rows.where('lc.staff_id', viewerStaffId);
      if (query.claimed === 'unclaimed') rows.whereNull('lc.staff_id');
      if (after) rows.whereRaw('(q.waiting_since, q.case_type, q.subject_id) > (?::timestamptz, ?, ?)', after);
      const found: QueueRow[] = await rows;
      const page = found.slice(0, query.limit);
      return { data: await itemsOf(page, viewerStaffId), nextCursor: found.length > query.limit ? encodeCursor(page.at(-1)!) : null };
    },

    /** The case while it waits on staff (with its tenant, for a claim); undefined once decided, or if unknown. */
    async waiting(ref: CaseRef): Promise<{ tenantId: string } | undefined> {
      const row = await select({ caseType: ref.caseType, subjectId: ref.subjectId }).first<QueueRow | undefined>();
      return row ? { tenantId: row.tenant_id } : undefined;
    },
  };
}

export type ReviewQueue = ReturnType<typeof createReviewQueue>;

const ROLE_WORDS: Record<string, string> = { REPRESENTATIVE: 'representative', DIRECTOR: 'director', SHAREHOLDER: 'shareholder', EMPLOYEE: 'employee' };

/**
 * Labels read after paging, never a person's name or e-mail: an organization by its legal name; an organization's
 * person by the organization's legal name and the person's roles there ("Acme Ltd: director, shareholder"). The
 * others keep their owner's column (an individual's customer id, a document's type).
 */
async function labelsOf(db: Knex, rows: QueueRow[]): Promise<Map<string, string>> {
  const persons = await personCheckSubjectsOf(db, rows.filter((row) => row.case_type === 'PERSON').map((row) => row.subject_id));
  const organizationIds = [...rows.filter((row) => row.case_type === 'ORGANIZATION').map((row) => row.subject_id), ...[...persons.values()].map((p) => p.organizationId)];
  const [names, roles] = await Promise.all([businessNamesOf(db, [...new Set(organizationIds)]), partyRolesOf(db, [...persons.values()].map((p) => p.partyId))]);
  const labels = new Map<string, string>();
  for (const row of rows) {
    const key = caseKey({ caseType: row.case_type, subjectId: row.subject_id });
    if (row.case_type === 'ORGANIZATION' && names.has(row.subject_id)) labels.set(key, names.get(row.subject_id)!);
    const person = row.case_type === 'PERSON' ? persons.get(row.subject_id) : undefined;
    if (person) {
      const roleWords = (roles.get(person.partyId) ?? []).map((role) => ROLE_WORDS[role] ?? role.toLowerCase()).join(', ') || 'person';
      labels.set(key, `${names.get(person.organizationId) ?? person.organizationId}: ${roleWords}`);
    }
  }
  return labels;
}
