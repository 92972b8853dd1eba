/**
 * The compliance back office's API vocabulary: a case is one thing waiting on staff (an individual or organization
 * in manual review, an organization's person whose identity check is in manual review, a document to review), named
 * by its type and its subject's id. The queue, claims, the case
 * page and the four-eyes proposals all speak it; the web app under /backoffice reads these routes and no others.
 */
import { z } from '../http/openapi';

/**
 * PERSON: a director, UBO or representative of an organization whose own identity check waits in MANUAL_REVIEW;
 * its subject id is that check's verification id (`ver_…`), which the decision route names and which a re-run of
 * the person's check does not reuse (a proposal stays bound to the check its reviewer read).
 */
export const CASE_TYPES = ['INDIVIDUAL', 'ORGANIZATION', 'DOCUMENT', 'PERSON'] as const;
export type CaseType = (typeof CASE_TYPES)[number];

/**
 * Which documented decision route settles the case: a KYC check (`/admin/customers/{id}/kyc-decision`), an
 * organization's review or KYB check (`/admin/organizations/{id}/review-decision`, `…/kyb-decision`), a
 * document (`/admin/documents/{id}/status`), or a person's identity check (`/admin/verifications/{id}/decision`).
 */
export const DECISION_KINDS = ['KYC', 'ORGANIZATION_REVIEW', 'KYB', 'DOCUMENT', 'IDENTITY'] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

export const caseType = z.enum(CASE_TYPES).openapi({ description: 'What waits on staff' });
export const subjectId = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'Must be an id');
export const caseParams = z.object({ caseType, subjectId });

export const claimSchema = z
  .object({
    staffId: z.string(),
    staffEmail: z.string().nullable(),
    claimedAt: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
    mine: z.boolean().openapi({ description: 'Held by the signed-in staff member' }),
  })
  .openapi('CaseClaim');

/** A first reviewer's decision waiting for a second one (four-eyes), or an escalation to a second reviewer. */
export const proposalSchema = z
  .object({
    kind: z.enum(['FOUR_EYES', 'ESCALATION']),
    decision: z.string().nullable().openapi({ description: 'The decision proposed (null for an escalation without one)' }),
    reason: z.string(),
    proposedBy: z.string().openapi({ description: 'staff:<id> of the first reviewer' }),
    proposedByEmail: z.string().nullable(),
    proposedAt: z.iso.datetime(),
    mine: z.boolean().openapi({ description: 'Proposed by the signed-in staff member, who may not confirm it' }),
  })
  .openapi('CaseProposal');

export const queueItemSchema = z
  .object({
    caseType,
    subjectId: z.string(),
    tenantId: z.string(),
    tenantName: z.string().nullable(),
    decisionKind: z.enum(DECISION_KINDS),
    reason: z.string().openapi({ description: 'Why it waits on staff, e.g. the provider finding that sent it to review' }),
    waitingSince: z.iso.datetime(),
    waitingSeconds: z.number().int(),
    label: z.string().openapi({ description: "A short, non-sensitive label: the organization name, the document type, the customer id; for a person, the organization's name and the person's roles" }),
    claim: claimSchema.nullable(),
    proposal: proposalSchema.nullable(),
  })
  .openapi('ReviewQueueItem');

export const queueQuery = z.object({
  tenantId: z.string().trim().min(1).max(64).optional(),
  caseType: caseType.optional(),
  reason: z.string().trim().min(1).max(100).optional(),
  minWaitingMinutes: z.coerce.number().int().min(0).max(525_600).optional(),
  claimed: z.enum(['any', 'mine', 'unclaimed']).default('any'),
  cursor: z.string().trim().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

export const queuePage = z.object({ data: z.array(queueItemSchema), nextCursor: z.string().nullable() }).openapi('ReviewQueuePage');

/** A field of the subject as a reviewer may see it: decoded through the codec's permissions, or masked. */
export const subjectField = z.object({ name: z.string(), label: z.string(), value: z.string().nullable(), masked: z.boolean() });

export const findingSchema = z
  .object({
    source: z.enum(['KYC', 'KYB', 'IDENTITY']),
    checkId: z.string(),
    provider: z.string().nullable(),
    status: z.string(),
    reasons: z.array(z.string()),
    riskScore: z.number().nullable(),
    subjectName: z.string().nullable().openapi({ description: 'For a person of an organization: whose check it is' }),
    startedAt: z.iso.datetime().nullable(),
    completedAt: z.iso.datetime().nullable(),
  })
  .openapi('CaseFinding');

export const ownershipSchema = z
  .object({
    thresholdPercent: z.number(),
    holdings: z.array(
      z.object({ ownerId: z.string(), ownerName: z.string(), ownerKind: z.enum(['PERSON', 'COMPANY']), ownedId: z.string(), percent: z.number() }),
    ),
    ubos: z.array(z.object({ personId: z.string(), name: z.string(), effectivePercent: z.number() })),
    people: z.array(
      z.object({
        personId: z.string(),
        name: z.string(),
        roles: z.array(z.string()),
        verificationStatus: z.string(),
        fields: z.array(subjectField).openapi({ description: "The person's data as the organization holds it, with what they supplied for their identity check (decoded for compliance and audit only)" }),
      }),
    ),
  })
  .openapi('CaseOwnership');

export const caseDocumentSchema = z
  .object({
    documentId: z.string(),
    documentType: z.string(),
    fileName: z.string(),
    contentType: z.string(),
    sizeBytes: z.number().int(),
    status: z.string(),
    uploadedAt: z.iso.datetime(),
    contentPath: z.string().openapi({ description: 'The staff route that answers the bytes inline (images and PDFs)' }),
  })
  .openapi('CaseDocument');

export const timelineEntry = z
  .object({
    at: z.iso.datetime(),
    kind: z.enum(['STATUS', 'DECISION', 'DOCUMENT', 'CHECK', 'CLAIM', 'PROPOSAL', 'AUDIT']),
    label: z.string(),
    actor: z.string().nullable(),
    reason: z.string().nullable(),
  })
  .openapi('CaseTimelineEntry');

export const caseViewSchema = z
  .object({
    caseType,
    subjectId: z.string(),
    tenant: z.object({ id: z.string(), name: z.string().nullable() }),
    status: z.string(),
    subject: z.object({ type: caseType, fields: z.array(subjectField) }),
    organization: z
      .object({
        organizationId: z.string(),
        legalName: z.string().nullable(),
        status: z.string(),
        inReview: z.boolean().openapi({ description: 'Its own ORGANIZATION case waits on staff now (GET …/cases/ORGANIZATION/{organizationId})' }),
      })
      .nullable()
      .openapi({ description: 'For a PERSON case: the organization the person belongs to; null for the other cases' }),
    personalDataMasked: z.boolean().openapi({
      description: 'The viewer sees personal data masked (OPERATOR); COMPLIANCE_OFFICER and AUDITOR see it decoded',
    }),
    pendingDecision: z
      .object({
        kind: z.enum(DECISION_KINDS),
        method: z.enum(['POST', 'PUT']),
        path: z.string().openapi({ description: 'The decision route to call, with this case\'s id in it' }),
        decisions: z.array(z.string()),
      })
      .nullable()
      .openapi({ description: 'null when nothing waits on staff (a decided case is still viewable)' }),
    fourEyes: z.boolean().openapi({
      description:
        "The tenant's four-eyes setting applies to this case: with fourEyes.rejections a rejection needs a second COMPLIANCE_OFFICER " +
        '(approving, e.g. an individual, may still be direct); with fourEyes.organizations every decision on an organization or on its persons\' identity checks does',
    }),
    findings: z.array(findingSchema),
    ownership: ownershipSchema.nullable(),
    documents: z.array(caseDocumentSchema),
    timeline: z.array(timelineEntry),
    temporal: z.object({ workflowId: z.string(), url: z.string() }).nullable(),
    claim: claimSchema.nullable(),
    proposal: proposalSchema.nullable(),
  })
  .openapi('ReviewCase');

export const escalationBody = z.strictObject({ reason: z.string().trim().min(3, 'Give the reason for the escalation').max(2000) });

/** The answer of a decision route when the tenant's four-eyes rule holds it for a second reviewer: 202. */
export const awaitingSecondReview = z
  .object({ status: z.literal('AWAITING_SECOND_REVIEW'), proposal: proposalSchema })
  .openapi('AwaitingSecondReview');
