/**
 * What the case page shows as evidence: the providers' findings (KYC, each person's identity check, KYB with what
 * the registry answered), the documents with their inline route, and, for an organization, its ownership as the people service computes it (holdings,
 * UBOs at the tenant's threshold) with each person's verification state as the organization's onboarding view
 * reports it. Nothing is recomputed here; person names follow the viewer's decoding rule (./case-subject.ts).
 */
import type { IdentityService, StaffIdentityCheck } from '../identity/service';
import type { KybService, StaffKybCheck } from '../kyb/service';
import type { OnboardingService } from '../onboarding/service';
import type { OrganizationOnboardingView } from '../organizations/onboarding-view';
import type { OrganizationPeopleService } from '../organizations/people-service';
import type { PartyView } from '../organizations/people-schemas';
import { ServiceUnavailableError } from '../http/errors';
import type { z } from '../http/openapi';
import { organizationPersonFields, personName } from './case-subject';
import type { caseDocumentSchema, findingSchema, ownershipSchema } from './schemas';

export type CaseFinding = z.output<typeof findingSchema>;
export type CaseOwnership = z.output<typeof ownershipSchema>;
export type CaseDocument = z.output<typeof caseDocumentSchema>;

/** The inline content route the case page shows a document through. */
export const documentContentPath = (documentId: string) => `/api/v2.1/admin/documents/${documentId}/content`;

/** A document as the case page lists it, with the route that shows it inline. */
export const caseDocumentOf = (d: { documentId: string; type: string; fileName: string; contentType: string; sizeBytes: number; status: string; createdAt: string }): CaseDocument => ({
  documentId: d.documentId,
  documentType: d.type,
  fileName: d.fileName,
  contentType: d.contentType,
  sizeBytes: d.sizeBytes,
  status: d.status,
  uploadedAt: d.createdAt,
  contentPath: documentContentPath(d.documentId),
});

export interface EvidenceSources {
  identity: Pick<IdentityService, 'staffChecks' | 'suppliedDetails'>;
  kyb: Pick<KybService, 'staffChecks'>;
  people: Pick<OrganizationPeopleService, 'parties' | 'shareholders' | 'ubos'>;
  organizationView: Pick<OrganizationOnboardingView, 'describe'>;
  onboarding: Pick<OnboardingService, 'snapshot'>;
}

export interface Checks {
  identity: StaffIdentityCheck[];
  kyb: StaffKybCheck[];
}

const reasonsOf = (reason: string | null) => (reason ? [reason] : []);

export async function checksOf(sources: EvidenceSources, tenantId: string, customerId: string, organization: boolean): Promise<Checks> {
  const [identity, kyb] = await Promise.all([
    sources.identity.staffChecks(tenantId, customerId),
    organization ? sources.kyb.staffChecks(tenantId, customerId) : Promise.resolve([]),
  ]);
  return { identity, kyb };
}

/**
 * One finding per check. `reasons` holds the provider's reason code while the check awaits staff, and the
 * reviewer's reason once staff decided (the row keeps the latest). No provider here reports a risk score: null.
 */
export function findingsOf(checks: Checks, parties: PartyView[], decodes: boolean): CaseFinding[] {
  const nameOf = (partyId: string) => {
    const party = parties.find((p) => p.partyId === partyId);
    return personName(decodes, partyId, party?.firstName, party?.lastName);
  };
  const identity = checks.identity.map((check): CaseFinding => ({
    source: check.subject.type === 'PARTY' ? 'IDENTITY' : 'KYC',
    checkId: check.verificationId,
    provider: check.provider,
    status: check.status,
    reasons: reasonsOf(check.reason),
    riskScore: null,
    subjectName: check.subject.type === 'PARTY' ? nameOf(check.subject.id) : null,
    startedAt: check.startedAt,
    completedAt: check.decidedAt,
  }));
  const kyb = checks.kyb.map((check): CaseFinding => ({
    source: 'KYB',
    checkId: check.verificationId,
    provider: check.provider,
    status: check.status,
    reasons: [...reasonsOf(check.reason), ...registryReasons(check.registryFindings)],
    riskScore: null,
    subjectName: null,
    startedAt: check.startedAt,
    completedAt: check.decidedAt,
  }));
  return [...identity, ...kyb].sort((a, b) => (a.startedAt ?? '').localeCompare(b.startedAt ?? ''));
}

/** The registry's answer as reason-like codes (the company's registered name is not personal data). */
function registryReasons(findings: Record<string, unknown> | null): string[] {
  if (!findings) return [];
  if (findings.found === false) return ['REGISTRY_NOT_FOUND'];
  return [
    ...(typeof findings.registrationStatus === 'string' ? [`REGISTRY_STATUS_${findings.registrationStatus}`] : []),
    ...(typeof findings.registeredName === 'string' ? [`REGISTERED_NAME: ${findings.registeredName}`] : []),
  ];
}

export async function ownershipOf(
  sources: EvidenceSources,
  tenantId: string,
  organizationId: string,
  parties: PartyView[],
  checks: Checks,
  decodes: boolean,
): Promise<CaseOwnership> {
  const persons = parties.filter((party) => party.kind === 'PERSON');
  const [{ views, threshold }, ubos, verification, supplied] = await Promise.all([
    sources.people.shareholders(tenantId, organizationId),
    sources.people.ubos(tenantId, organizationId),
    personVerifications(sources, tenantId, organizationId),
    // Sealed details are opened only for a viewer who may see them.
    Promise.all(persons.map((party) => (decodes ? sources.identity.suppliedDetails(tenantId, organizationId, party.partyId) : undefined))),
  ]);
  const nameOf = (party: Pick<PartyView, 'partyId' | 'kind' | 'firstName' | 'lastName' | 'legalName'>) =>
    party.kind === 'COMPANY' ? (party.legalName ?? party.partyId) : personName(decodes, party.partyId, party.firstName, party.lastName);
  const latestCheck = (partyId: string) => checks.identity.filter((check) => check.subject.type === 'PARTY' && check.subject.id === partyId).at(-1)?.status;
  return {
    thresholdPercent: threshold,
    holdings: views.flatMap((view) =>
      view.holdings.map((holding) => ({
        ownerId: view.partyId,
        ownerName: nameOf(view),
        ownerKind: view.kind,
        ownedId: holding.ownedPartyId ?? organizationId,
        percent: holding.ownershipPercent,
      })),
    ),
    ubos: ubos.views.map((view) => ({ personId: view.partyId, name: nameOf(view), effectivePercent: view.effectiveOwnershipPercent })),
    people: persons.map((party, index) => ({
      personId: party.partyId,
      name: nameOf(party),
      roles: [...party.roles, ...(ubos.views.some((ubo) => ubo.partyId === party.partyId) ? ['UBO'] : [])],
      // The onboarding view's state; without it (workflow gone, Temporal away) the person's latest check.
      verificationStatus: verification?.get(party.partyId) ?? latestCheck(party.partyId) ?? (verification ? 'NOT_REQUIRED' : 'UNKNOWN'),
      fields: organizationPersonFields(party, supplied[index], decodes),
    })),
  };
}

/**
 * Each person's verification state from the organization's onboarding view (as GET …/onboarding shows it):
 * NOT_STARTED before KYB, then the identity check's status. Undefined when the workflow cannot be asked.
 */
async function personVerifications(sources: EvidenceSources, tenantId: string, organizationId: string): Promise<Map<string, string> | undefined> {
  try {
    const snapshot = await sources.onboarding.snapshot(tenantId, organizationId);
    if (!('kybStatus' in snapshot)) return undefined;
    const { persons } = await sources.organizationView.describe(tenantId, { ...snapshot, persons: snapshot.persons ?? [] });
    return new Map(persons.map((person) => [person.partyId, person.status]));
  } catch (error) {
    if (error instanceof ServiceUnavailableError) return undefined;
    throw error;
  }
}
