/**
 * Which decision a case waits for and where to send it, whether the tenant's four-eyes rule applies to it, and its
 * onboarding workflow's page in the Temporal UI. The routes named are the documented decision routes; the case
 * page sends nothing itself.
 */
import { DOCUMENT_DECISIONS } from '../../common/documents';
import type { TenantSettings } from '../tenancy/tenant-settings';
import type { Checks } from './case-evidence';
import type { CaseRef } from './case-ref';
import type { CaseView } from './case-view';
import { ORGANIZATION_CASES } from './four-eyes';

export function pendingDecisionOf(ref: CaseRef, status: string, checks: Checks): CaseView['pendingDecision'] {
  const approveOrReject = ['APPROVE', 'REJECT'];
  if (ref.caseType === 'DOCUMENT') {
    if (status !== 'UPLOADED') return null;
    return { kind: 'DOCUMENT', method: 'PUT', path: `/api/v2.1/admin/documents/${ref.subjectId}/status`, decisions: [...DOCUMENT_DECISIONS] };
  }
  if (ref.caseType === 'PERSON') {
    if (status !== 'MANUAL_REVIEW') return null;
    return { kind: 'IDENTITY', method: 'POST', path: `/api/v2.1/admin/verifications/${ref.subjectId}/decision`, decisions: approveOrReject };
  }
  if (ref.caseType === 'INDIVIDUAL') {
    if (status !== 'MANUAL_REVIEW') return null;
    return { kind: 'KYC', method: 'POST', path: `/api/v2.1/admin/customers/${ref.subjectId}/kyc-decision`, decisions: approveOrReject };
  }
  if (status === 'MANUAL_REVIEW') {
    return { kind: 'ORGANIZATION_REVIEW', method: 'POST', path: `/api/v2.1/admin/organizations/${ref.subjectId}/review-decision`, decisions: approveOrReject };
  }
  // The KYB check's own manual review, while the organization is still onboarding.
  if (checks.kyb.at(-1)?.status === 'MANUAL_REVIEW') {
    return { kind: 'KYB', method: 'POST', path: `/api/v2.1/admin/organizations/${ref.subjectId}/kyb-decision`, decisions: approveOrReject };
  }
  return null;
}

/**
 * The tenant's four-eyes setting applies to this case: `fourEyes.rejections` holds every rejection for a second
 * reviewer (approving may still be direct), `fourEyes.organizations` every decision on an organization or on one
 * of its persons' identity checks (./four-eyes.ts).
 */
export function fourEyesApplies(ref: CaseRef, settings: TenantSettings): boolean {
  const rule = settings.fourEyes ?? {};
  return Boolean(rule.rejections) || (ORGANIZATION_CASES.has(ref.caseType) && Boolean(rule.organizations));
}

export function temporalLinkOf(settings: { temporalUiUrl: string; namespace: string }, workflowId: string): CaseView['temporal'] {
  const base = settings.temporalUiUrl.replace(/\/+$/, '');
  return { workflowId, url: `${base}/namespaces/${settings.namespace}/workflows/${encodeURIComponent(workflowId)}` };
}
