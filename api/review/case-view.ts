/**
 * The case page (GET /api/v2.1/admin/cases/{caseType}/{subjectId}): one read that gathers what a reviewer needs
 * to decide a case: the subject's fields, the providers' findings, an organization's ownership with its UBOs and
 * each person's verification state, the documents (each with its inline content route), the timeline, the link to
 * the onboarding workflow in the Temporal UI, the decision pending and its route, the tenant's four-eyes rule,
 * and the claim and proposal on the case. Every table is read through its owning module.
 *
 * Who sees what decoded: COMPLIANCE_OFFICER and AUDITOR see personal data decoded, as the Temporal UI's codec
 * shows it to compliance; an OPERATOR sees each personal field `masked: true` with value null, and person names in
 * findings and ownership replaced by their party id. Tax ids are masked (last 4 characters) for everyone. The
 * rule and the fields it covers are in ./case-subject.ts.
 */
import { onboardingWorkflowId } from '../../common/onboarding-contract';
import { NotFoundError } from '../http/errors';
import type { z } from '../http/openapi';
import type { CustomerService } from '../customers/service';
import type { DocumentService } from '../documents/service';
import type { IdentityService } from '../identity/service';
import type { OnboardingRecords } from '../onboarding/records';
import type { OrganizationService } from '../organizations/service';
import type { PartyView } from '../organizations/people-schemas';
import type { TenantSettingsService } from '../tenancy/tenant-settings';
import { tenantNameOf } from '../tenancy/tenant-names';
import type { Knex } from '../../common/db';
import { caseKey, type CaseRef } from './case-ref';
import { caseDocumentOf, checksOf, findingsOf, ownershipOf, type EvidenceSources } from './case-evidence';
import { personCaseView } from './case-person';
import { decodesPersonalData, documentFields, individualFields, organizationFields, type CaseViewer, type SubjectField } from './case-subject';
import { timelineOf } from './case-timeline';
import { fourEyesApplies, pendingDecisionOf, temporalLinkOf } from './case-decision';
import type { ReviewClaims } from './claims';
import type { ReviewProposals } from './proposals';
import type { caseViewSchema } from './schemas';

export type CaseView = z.output<typeof caseViewSchema>;

/** The owning modules the case page reads through (wired in api/app.ts). */
export interface CaseSources extends EvidenceSources {
  identity: EvidenceSources['identity'] & Pick<IdentityService, 'personCheck'>;
  customers: Pick<CustomerService, 'getWithProfile'>;
  records: Pick<OnboardingRecords, 'tenantOfCustomer' | 'staffVerificationHistory'>;
  organizations: Pick<OrganizationService, 'profile'>;
  documents: Pick<DocumentService, 'staffGet' | 'staffList'>;
  tenantSettings: Pick<TenantSettingsService, 'get'>;
}

export interface CaseViewDeps {
  db: Knex;
  sources: CaseSources;
  claims: Pick<ReviewClaims, 'liveFor'>;
  proposals: Pick<ReviewProposals, 'openFor' | 'historyFor'>;
  settings: { temporalUiUrl: string; namespace: string };
}

export { documentContentPath } from './case-evidence';

/** What the case is about once found: its tenant, the customer that owns it, its status and fields. */
interface Subject {
  tenantId: string;
  ownerId: string;
  ownerType: 'INDIVIDUAL' | 'ORGANIZATION';
  status: string;
  fields: SubjectField[];
}

export function createCaseView({ db, sources, claims, proposals, settings }: CaseViewDeps) {
  async function subjectOf(ref: CaseRef, decodes: boolean): Promise<Subject> {
    if (ref.caseType === 'DOCUMENT') {
      const doc = await sources.documents.staffGet(ref.subjectId);
      const owner = await sources.customers.getWithProfile(doc.tenantId, doc.customerId);
      return { tenantId: doc.tenantId, ownerId: doc.customerId, ownerType: owner.type, status: doc.status, fields: documentFields(doc, owner.type) };
    }
    const tenantId = await sources.records.tenantOfCustomer(ref.subjectId);
    if (ref.caseType === 'ORGANIZATION') {
      const org = await sources.organizations.profile(tenantId, ref.subjectId);
      return { tenantId, ownerId: ref.subjectId, ownerType: 'ORGANIZATION', status: org.status, fields: organizationFields(org, decodes) };
    }
    const customer = await sources.customers.getWithProfile(tenantId, ref.subjectId);
    if (customer.type !== 'INDIVIDUAL') throw new NotFoundError('No such case');
    const person = {
      firstName: customer.first_name,
      lastName: customer.last_name,
      email: customer.email,
      phone: customer.phone,
      status: customer.status,
      createdAt: customer.created_at.toISOString(),
      profile: customer.profile,
    };
    return { tenantId, ownerId: ref.subjectId, ownerType: 'INDIVIDUAL', status: customer.status, fields: individualFields(person, decodes) };
  }

  return {
    async view(ref: CaseRef, viewer: CaseViewer & { tenantId?: string }): Promise<CaseView> {
      if (ref.caseType === 'PERSON') return personCaseView({ db, claims, proposals, settings }, sources, ref, viewer);
      const decodes = decodesPersonalData(viewer);
      const subject = await subjectOf(ref, decodes);
      if (viewer.tenantId !== undefined && viewer.tenantId !== subject.tenantId) throw new NotFoundError('No such case');
      const { tenantId, ownerId, ownerType } = subject;
      const organization = ownerType === 'ORGANIZATION';

      const [tenantName, tenantSettings, checks, parties, documents, history, claim, proposal, proposalHistory] = await Promise.all([
        tenantNameOf(db, tenantId),
        sources.tenantSettings.get(tenantId),
        checksOf(sources, tenantId, ownerId, organization),
        organization ? sources.people.parties(tenantId, ownerId) : Promise.resolve<PartyView[]>([]),
        sources.documents.staffList(tenantId, ownerId),
        ref.caseType === 'DOCUMENT' ? Promise.resolve(undefined) : sources.records.staffVerificationHistory(tenantId, ownerId),
        claims.liveFor([ref], viewer.staffId).then((found) => found.get(caseKey(ref)) ?? null),
        proposals.openFor([ref], viewer.staffId).then((found) => found.get(caseKey(ref)) ?? null),
        proposals.historyFor(ref, viewer.staffId),
      ]);
      const ownership = ref.caseType === 'ORGANIZATION' ? await ownershipOf(sources, tenantId, ownerId, parties, checks, decodes) : null;
      // A DOCUMENT case shows its document first, then the owner's others; its timeline is the document's own.
      const caseDocuments = ref.caseType === 'DOCUMENT' ? [...documents.filter((d) => d.documentId === ref.subjectId), ...documents.filter((d) => d.documentId !== ref.subjectId)] : documents;
      const timelineDocuments = ref.caseType === 'DOCUMENT' ? caseDocuments.slice(0, 1) : documents;

      return {
        caseType: ref.caseType,
        subjectId: ref.subjectId,
        tenant: { id: tenantId, name: tenantName ?? null },
        status: subject.status,
        subject: { type: ref.caseType, fields: subject.fields },
        organization: null,
        personalDataMasked: !decodes,
        pendingDecision: pendingDecisionOf(ref, subject.status, checks),
        fourEyes: fourEyesApplies(ref, tenantSettings),
        findings: findingsOf(checks, parties, decodes),
        ownership,
        documents: caseDocuments.map(caseDocumentOf),
        timeline: timelineOf({
          statuses: history?.statuses ?? [],
          checks: ref.caseType === 'DOCUMENT' ? { identity: [], kyb: [] } : checks,
          documents: timelineDocuments,
          documentDecisionsAreTheCase: ref.caseType === 'DOCUMENT',
          proposals: proposalHistory,
          claim,
        }),
        temporal: temporalLinkOf(settings, onboardingWorkflowId(tenantId, ownerId)),
        claim,
        proposal,
      };
    },
  };
}

export type CaseViewService = ReturnType<typeof createCaseView>;
