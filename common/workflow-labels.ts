/**
 * What staff read about a workflow in the Temporal UI: a one-line summary and fixed details (user metadata, set
 * where the workflow is started) and current details (set by the workflow as its step changes). Ids, statuses and
 * the tenant's name only, never a person's name, e-mail or phone. Pure text builders, shared by the API (starts)
 * and the workflows (child starts, current details), so the UI reads the same everywhere.
 *
 * The metadata passes through the payload codec like every payload: the UI shows it in clear when its codec
 * server is set (README "Temporal Web UI").
 */

/** The tenant's name as a label: one line, bounded, falling back to its id (executions started before names). */
function tenantLabel(tenant: { tenantId: string; tenantName?: string }): string {
  const name = tenant.tenantName?.replace(/\s+/g, ' ').trim().slice(0, 80);
  return name ? name : tenant.tenantId;
}

export type OnboardingSubject = 'INDIVIDUAL' | 'ORGANIZATION';

export interface OnboardingLabelInput {
  tenantId: string;
  tenantName?: string;
  customerId: string;
}

const SUBJECT_TITLE: Record<OnboardingSubject, string> = { INDIVIDUAL: 'Individual onboarding', ORGANIZATION: 'Organization onboarding' };

export function onboardingLabels(subject: OnboardingSubject, input: OnboardingLabelInput): { staticSummary: string; staticDetails: string } {
  return {
    staticSummary: `${SUBJECT_TITLE[subject]} · ${tenantLabel(input)}`,
    staticDetails: lines([
      ['Tenant', `${tenantLabel(input)} (${input.tenantId})`],
      ['Subject', `${subject} ${input.customerId}`],
      ['Flow', subject === 'INDIVIDUAL' ? 'e-mail → phone → profile → consents → KYC → activation' : 'e-mail → consents → people and documents → KYB and identity checks → activation'],
    ]),
  };
}

/** An identity-verification child: whose identity (the role), for which onboarding. */
export function identityLabels(input: OnboardingLabelInput & { role: string; subjectId: string; parentWorkflowId: string }) {
  return {
    staticSummary: `KYC of ${input.role} ${input.subjectId} · ${tenantLabel(input)}`,
    staticDetails: lines([
      ['Tenant', `${tenantLabel(input)} (${input.tenantId})`],
      ['Subject', `${input.role} ${input.subjectId} of customer ${input.customerId}`],
      ['Onboarding', input.parentWorkflowId],
    ]),
  };
}

/** The company's KYB child. */
export function kybLabels(input: OnboardingLabelInput & { parentWorkflowId: string }) {
  return {
    staticSummary: `KYB of organization ${input.customerId} · ${tenantLabel(input)}`,
    staticDetails: lines([
      ['Tenant', `${tenantLabel(input)} (${input.tenantId})`],
      ['Subject', `ORGANIZATION ${input.customerId}`],
      ['Onboarding', input.parentWorkflowId],
    ]),
  };
}

/** A password reset: the workflow id holds a keyed hash of the address, never the address. */
export function passwordResetLabels(input: { tenantId: string; tenantName?: string; codeTtlMinutes: number }) {
  return {
    staticSummary: `Customer password reset · ${tenantLabel(input)}`,
    staticDetails: lines([
      ['Tenant', `${tenantLabel(input)} (${input.tenantId})`],
      ['Subject', 'CUSTOMER (an account is named only inside the encrypted input)'],
      ['Code', `valid ${input.codeTtlMinutes} minutes`],
    ]),
  };
}

/** A customer's grant to a third-party provider: whose, to which TPP, until when (ids and an instant only). */
export function tppConsentLabels(input: { tenantId: string; tenantName?: string; customerId: string; consentId: string; tppId: string; expiresAt: string }) {
  return {
    staticSummary: `TPP consent ${input.consentId} · ${tenantLabel(input)}`,
    staticDetails: lines([
      ['Tenant', `${tenantLabel(input)} (${input.tenantId})`],
      ['Subject', `CUSTOMER ${input.customerId}`],
      ['TPP', input.tppId],
      ['Expires', input.expiresAt],
    ]),
  };
}

/** Who holds the current step, as the UI's current details say it. */
export type WaitingOn = 'customer' | 'person' | 'tenant' | 'provider' | 'staff' | 'nobody';

/** The workflow's current details: its step, who it waits on, what is due and what is being checked. */
export function currentDetailsText(facts: { step: string; waitingOn: WaitingOn; due: readonly string[]; pending?: readonly string[] }): string {
  return lines([
    ['Step', facts.waitingOn === 'nobody' ? facts.step : `${facts.step} (waiting on the ${facts.waitingOn})`],
    ['Due', facts.due.length > 0 ? facts.due.join(', ') : '-'],
    ...(facts.pending?.length ? ([['Being checked', facts.pending.join(', ')]] as Array<[string, string]>) : []),
  ]);
}

/** A KYC or KYB check's current details: its status and who holds it (never a reason: staff may write names there). */
export function checkDetailsText(check: 'KYC' | 'KYB', status: string): string {
  const waitingOn: Record<string, WaitingOn> = { AWAITING_DETAILS: 'person', IN_PROGRESS: 'provider', MANUAL_REVIEW: 'staff' };
  const open = waitingOn[status] !== undefined;
  return currentDetailsText({ step: status, waitingOn: waitingOn[status] ?? 'nobody', due: open ? [check] : [] });
}

function lines(entries: ReadonlyArray<readonly [string, string]>): string {
  return entries.map(([label, value]) => `**${label}:** ${value}`).join('\n');
}
