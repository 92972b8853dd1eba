/**
 * The case page of a PERSON case: an organization's director, UBO or representative whose identity check (the
 * case's verification id) is or was in manual review. It shows the person as the organization's records hold them,
 * with what they supplied for the check (same decoding rule as everywhere: ./case-subject.ts), the findings of
 * their identity checks, the organization they belong to (with whether its own case waits on staff), the documents
 * filed for them, the timeline of their checks and of the case, and the identity-verification child's workflow in
 * the Temporal UI: the check runs there, with its own history, and a decision on it is sent there.
 */
import type { SuppliedDetails } from '../../activities/identity-subjects';
import { NotFoundError } from '../http/errors';
import type { PersonCheck } from '../identity/person-checks';
import type { PartyView } from '../organizations/people-schemas';
import { tenantNameOf } from '../tenancy/tenant-names';
import { caseKey, type CaseRef } from './case-ref';
import { caseDocumentOf, findingsOf, type Checks } from './case-evidence';
import { fourEyesApplies, pendingDecisionOf, temporalLinkOf } from './case-decision';
import { caseStateOf } from './case-state';
import { decodesPersonalData, fieldWriter, organizationPersonFields, type CaseViewer, type SubjectField } from './case-subject';
import { timelineOf } from './case-timeline';
import type { CaseSources, CaseView, CaseViewDeps } from './case-view';

export type PersonCaseSources = Pick<CaseSources, 'identity' | 'people' | 'organizations' | 'documents' | 'tenantSettings'>;

export function personFields(check: PersonCheck, party: PartyView | undefined, roles: string[], supplied: SuppliedDetails | undefined, decodes: boolean, organizationName: string | null): SubjectField[] {
  const w = fieldWriter(decodes);
  w.personal('firstName', 'First name', party?.firstName ?? supplied?.firstName);
  w.personal('lastName', 'Last name', party?.lastName ?? supplied?.lastName);
  w.plain('partyId', 'Person of the organization', check.partyId);
  w.plain('roles', 'Roles', roles.join(', ') || null);
  w.plain('organizationId', 'Organization', check.organizationId);
  w.plain('organizationName', 'Organization legal name', organizationName);
  w.fields.push(...organizationPersonFields(party ?? {}, supplied, decodes));
  w.plain('status', 'Identity check status', check.status);
  w.plain('verificationId', 'Verification', check.verificationId);
  return w.fields;
}

export async function personCaseView(
  { db, claims, proposals, settings }: Omit<CaseViewDeps, 'sources'>,
  sources: PersonCaseSources,
  ref: CaseRef,
  viewer: CaseViewer & { tenantId?: string },
): Promise<CaseView> {
  const check = await sources.identity.personCheck(ref.subjectId);
  if (!check || (viewer.tenantId !== undefined && viewer.tenantId !== check.tenantId)) throw new NotFoundError('No such case');
  const decodes = decodesPersonalData(viewer);
  const { tenantId, organizationId, partyId } = check;

  const [tenantName, tenantSettings, organization, organizationState, allChecks, parties, ubos, supplied, documents, claim, proposal, proposalHistory] = await Promise.all([
    tenantNameOf(db, tenantId),
    sources.tenantSettings.get(tenantId),
    sources.organizations.profile(tenantId, organizationId),
    caseStateOf(db, { caseType: 'ORGANIZATION', subjectId: organizationId }),
    sources.identity.staffChecks(tenantId, organizationId),
    sources.people.parties(tenantId, organizationId),
    sources.people.ubos(tenantId, organizationId),
    // Sealed details are opened only for a viewer who may see them.
    decodes ? sources.identity.suppliedDetails(tenantId, organizationId, partyId) : Promise.resolve(undefined),
    sources.documents.staffList(tenantId, organizationId),
    claims.liveFor([ref], viewer.staffId).then((found) => found.get(caseKey(ref)) ?? null),
    proposals.openFor([ref], viewer.staffId).then((found) => found.get(caseKey(ref)) ?? null),
    proposals.historyFor(ref, viewer.staffId),
  ]);
  const party = parties.find((p) => p.partyId === partyId);
  const roles = [...(party?.roles ?? []), ...(ubos.views.some((ubo) => ubo.partyId === partyId) ? ['UBO'] : [])];
  // The person's own checks only: the organization's other persons and its KYB have their own cases.
  const checks: Checks = { identity: allChecks.filter((c) => c.subject.type === 'PARTY' && c.subject.id === partyId), kyb: [] };
  const personDocuments = documents.filter((d) => d.partyId === partyId);

  return {
    caseType: ref.caseType,
    subjectId: ref.subjectId,
    tenant: { id: tenantId, name: tenantName ?? null },
    status: check.status,
    subject: { type: 'PERSON', fields: personFields(check, party, roles, supplied, decodes, organization.businessName) },
    organization: { organizationId, legalName: organization.businessName, status: organization.status, inReview: Boolean(organizationState?.waitingOn) },
    personalDataMasked: !decodes,
    // Waiting on staff is more than MANUAL_REVIEW: the person's newest check, the organization still onboarding.
    pendingDecision: check.waiting ? pendingDecisionOf(ref, check.status, checks) : null,
    fourEyes: fourEyesApplies(ref, tenantSettings),
    findings: findingsOf(checks, parties, decodes),
    ownership: null,
    documents: personDocuments.map(caseDocumentOf),
    timeline: timelineOf({ statuses: [], checks, documents: personDocuments, documentDecisionsAreTheCase: false, proposals: proposalHistory, claim }),
    temporal: temporalLinkOf(settings, check.workflowId),
    claim,
    proposal,
  };
}
