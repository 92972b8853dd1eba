/**
 * What an organization's onboarding has achieved and what is due next. Pure data and rules, no Temporal calls:
 * handlers and steps mutate it; requirements, the snapshot and search attributes are derived from it.
 * `status` is the step engine's: the organization's step. `organizationStatus` is what the API and the customers
 * row say (every step before MANUAL_REVIEW is ONBOARDING).
 */
import type { RequirementError, Requirements } from '../../common/lifecycle';
import type {
  CarriedOrganization,
  OrganizationOnboardingInput,
  OrganizationOnboardingStatus,
  OrganizationStep,
  PersonVerification,
} from '../../common/organization-contract';
import type { ConsentType, OnboardingPolicy } from '../../common/onboarding-policy';
import type { KybStatus } from '../../common/statuses';
import type { FlowState } from '../engine';

const ENDED: ReadonlySet<OrganizationStep> = new Set(['ACTIVE', 'REJECTED', 'EXPIRED', 'REGISTRATION_FAILED']);
const ONBOARDING_STEPS: ReadonlySet<OrganizationStep> = new Set(['EMAIL_VERIFICATION', 'CONSENTS', 'PEOPLE_AND_DOCUMENTS', 'VERIFYING']);

/** The organization status each step belongs to. */
export function organizationStatusOf(step: OrganizationStep): OrganizationOnboardingStatus {
  if (ONBOARDING_STEPS.has(step)) return 'ONBOARDING';
  return step as OrganizationOnboardingStatus;
}

export class OrganizationState implements FlowState<OrganizationStep> {
  status: OrganizationStep = 'REGISTERING';
  kybStatus: KybStatus = 'NOT_STARTED';
  emailVerified = false;
  readonly consents = new Set<ConsentType>();
  verificationEmailSent = false;
  /** Workflow times of the e-mail codes sent (for the cooldown, the daily cap and idempotency keys). */
  lastCodeSentAt = 0;
  codesSent = 0;
  recentCodeSends: number[] = [];
  progress = 0;
  reminders = 0;
  lastProgressAt = 0;
  continuing = false;
  dueRequirement?: string | null;
  /** The requirements last recorded as a webhook event, and whether a write of them is running (engine's). */
  publishedRequirements?: Requirements;
  requirementsInFlight?: boolean;
  /** Set synchronously when a KYB start is accepted, so a concurrent second start is refused. */
  kybStarting = false;
  /** Whether the company's own check (the KYB child) is still running. */
  kybChecking = false;
  /** The persons verified for KYB, with the outcome of each one's identity check. */
  persons: PersonVerification[] = [];
  /** What failed in the checks (no personal data, no provider findings). */
  errors: RequirementError[] = [];
  /** E-mails sent beside the lifecycle; awaited only before the workflow ends. */
  readonly noticesInFlight: Array<Promise<void>> = [];
  /** The KybStatus search attribute as last written (the API starts the workflow with NOT_STARTED). */
  indexedKybStatus: KybStatus = 'NOT_STARTED';

  constructor(
    readonly input: OrganizationOnboardingInput,
    readonly policy: OnboardingPolicy,
  ) {
    const carried = input.carried;
    if (!carried) return;
    const { step, consents, ...rest } = carried;
    Object.assign(this, rest, { status: step, indexedKybStatus: carried.kybStatus });
    for (const consent of consents) this.consents.add(consent);
  }

  get organizationId(): string {
    return this.input.customerId;
  }

  get organizationStatus(): OrganizationOnboardingStatus {
    return organizationStatusOf(this.status);
  }

  get ended(): boolean {
    return ENDED.has(this.status);
  }

  noteCodeSent(at: number): void {
    this.lastCodeSentAt = at;
    this.codesSent += 1;
    this.recentCodeSends = [...this.recentCodeSends.filter((sent) => sent > at - 24 * 60 * 60 * 1000), at];
  }

  missingConsents(): ConsentType[] {
    return this.policy.requiredConsents.filter((type) => !this.consents.has(type));
  }

  /** The step the facts call for before KYB: the e-mail, then the consents, then the people and documents. */
  stepBeforeKyb(): OrganizationStep {
    if (!this.emailVerified) return 'EMAIL_VERIFICATION';
    return this.missingConsents().length > 0 ? 'CONSENTS' : 'PEOPLE_AND_DOCUMENTS';
  }

  /**
   * What is outstanding at this step, in order; the step's kind says whether it is currently due or pending.
   * Before KYB, the people and documents KYB needs live in tables the workflow does not read: the API adds them
   * at read time (api/organizations/onboarding-view.ts) and KYB's start checks them (activities/organization-kyb.ts).
   */
  due(): string[] {
    switch (this.status) {
      case 'EMAIL_VERIFICATION':
      case 'CONSENTS':
        return [...(this.emailVerified ? [] : ['EMAIL_VERIFICATION']), ...this.missingConsents().map((type) => `CONSENT:${type}`)];
      case 'PEOPLE_AND_DOCUMENTS':
        return ['KYB'];
      case 'VERIFYING':
        return this.pendingChecks();
      case 'MANUAL_REVIEW':
        return ['KYB']; // staff review the checks' outcome
      case 'APPROVED':
        return ['ACTIVATION'];
      default:
        return [];
    }
  }

  /** The checks still running: the company's, then each person's (`PERSON:<partyId>`). */
  pendingChecks(): string[] {
    return [...(this.kybChecking ? ['KYB'] : []), ...this.persons.filter((p) => p.status === 'PENDING').map((p) => `PERSON:${p.partyId}`)];
  }

  carry(): CarriedOrganization {
    const { kybStatus, emailVerified, verificationEmailSent, lastCodeSentAt, codesSent, recentCodeSends, reminders, lastProgressAt, dueRequirement, publishedRequirements } = this;
    return {
      step: this.status,
      kybStatus,
      emailVerified,
      consents: [...this.consents],
      verificationEmailSent,
      lastCodeSentAt,
      codesSent,
      recentCodeSends,
      reminders,
      lastProgressAt,
      dueRequirement,
      ...(publishedRequirements ? { publishedRequirements } : {}),
      persons: this.persons,
      errors: this.errors,
    };
  }
}
