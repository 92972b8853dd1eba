/**
 * What an organization's onboarding has achieved and what is due next. Pure data and rules, no Temporal calls:
 * handlers and steps mutate it; requirements, the snapshot and search attributes are derived from it.
 */
import { lifecycleOf, type Requirements } from '../../common/lifecycle';
import type { OnboardingInput } from '../../common/onboarding-contract';
import type { OrganizationOnboardingStatus, OrganizationSnapshot } from '../../common/organization-contract';
import type { ConsentType, OnboardingPolicy } from '../../common/onboarding-policy';
import type { KybStatus } from '../../common/statuses';

const ENDED: ReadonlySet<OrganizationOnboardingStatus> = new Set(['ACTIVE', 'REJECTED', 'EXPIRED', 'REGISTRATION_FAILED']);

export class OrganizationState {
  status: OrganizationOnboardingStatus = 'REGISTERING';
  kybStatus: KybStatus = 'NOT_STARTED';
  emailVerified = false;
  readonly consents = new Set<ConsentType>();
  verificationEmailSent = false;
  /** Workflow times of the e-mail codes sent (for the cooldown, the daily cap and idempotency keys). */
  lastCodeSentAt = 0;
  codesSent = 0;
  recentCodeSends: number[] = [];
  /** Bumped by every accepted action; waits compare it to notice progress. */
  progress = 0;
  reminders = 0;
  lastProgressAt = 0;
  /** Set synchronously when a KYB start is accepted, so a concurrent second start is refused. */
  kybStarting = false;
  /** E-mails sent beside the lifecycle; awaited only before the workflow ends. */
  readonly noticesInFlight: Array<Promise<void>> = [];
  /** The search attribute values last written, so an unchanged value is not written again. */
  readonly indexed: Record<string, string | null> = {};

  constructor(
    readonly input: OnboardingInput,
    readonly policy: OnboardingPolicy,
  ) {}

  get organizationId(): string {
    return this.input.customerId;
  }

  get ended(): boolean {
    return ENDED.has(this.status);
  }

  noteCodeSent(at: number): void {
    this.lastCodeSentAt = at;
    this.codesSent += 1;
    this.recentCodeSends = [...this.recentCodeSends.filter((sent) => sent > at - 24 * 60 * 60 * 1000), at];
  }

  noteProgress(): void {
    this.progress += 1;
    this.lastProgressAt = Date.now();
  }

  missingConsents(): ConsentType[] {
    return this.policy.requiredConsents.filter((type) => !this.consents.has(type));
  }

  /** Stripe-style: what the tenant must send now, what is being checked, what failed. */
  requirements(): Requirements {
    if (this.status === 'REJECTED') return { currentlyDue: [], pendingVerification: [], errors: [{ requirement: 'KYB', reason: 'Rejected in compliance review' }] };
    if (this.status !== 'ONBOARDING' && this.status !== 'MANUAL_REVIEW' && this.status !== 'APPROVED') {
      return { currentlyDue: [], pendingVerification: [], errors: [] };
    }
    const currentlyDue: string[] = [];
    if (!this.emailVerified) currentlyDue.push('EMAIL_VERIFICATION');
    if (this.kybStatus === 'NOT_STARTED') {
      currentlyDue.push(...this.missingConsents().map((type) => `CONSENT:${type}`));
      if (currentlyDue.length === 0) currentlyDue.push('KYB');
    }
    if (this.status === 'APPROVED') currentlyDue.push('ACTIVATION');
    const checking = this.kybStatus === 'IN_PROGRESS' || this.kybStatus === 'MANUAL_REVIEW';
    return { currentlyDue, pendingVerification: checking ? ['KYB'] : [], errors: [] };
  }

  due(): string[] {
    const { currentlyDue, pendingVerification } = this.requirements();
    return [...currentlyDue, ...pendingVerification];
  }

  snapshot(): OrganizationSnapshot {
    return {
      customerId: this.organizationId,
      status: this.status,
      lifecycleStatus: lifecycleOf(this.status),
      requirements: this.requirements(),
      kybStatus: this.kybStatus,
      due: this.due(),
      verificationEmailSent: this.verificationEmailSent,
      consents: [...this.consents],
    };
  }
}
