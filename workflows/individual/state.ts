/**
 * What an individual's onboarding has achieved and what is due next. Pure data and rules, no Temporal calls:
 * the workflow mutates it through its handlers and derives statuses and requirements from it.
 */
import type { CarriedState, KycResult, OnboardingInput, OnboardingSnapshot, OnboardingStatus, Requirement } from '../../common/onboarding-contract';
import type { ConsentType, OnboardingPolicy } from '../../common/onboarding-policy';
import type { CustomerStatus } from '../../common/statuses';
import type { RequirementError, Requirements } from '../../common/lifecycle';
import type { Flow, FlowState } from '../engine';

const ENDED: ReadonlySet<OnboardingStatus> = new Set(['ACTIVE', 'REJECTED', 'EXPIRED', 'REGISTRATION_FAILED']);

/** The individual flow on the step engine (defined in ../individual-onboarding.ts). */
export type IndividualFlow = Flow<OnboardingStatus, OnboardingState>;

/** What the tenant reads when KYC failed: never the provider's finding or a reviewer's note (tipping-off). */
const KYC_REJECTED: RequirementError = { requirement: 'KYC', reason: 'The identity check did not pass' };

export class OnboardingState implements FlowState<OnboardingStatus> {
  status: OnboardingStatus = 'REGISTERING';
  hasPhone = false;
  emailVerified = false;
  phoneVerified = false;
  profileComplete = false;
  readonly consents = new Set<ConsentType>();
  kyc?: CarriedState['kyc'];
  /** The child's manual review, as its signal told it (this run only: the check never spans runs). */
  kycReviewReason?: string;
  verificationEmailSent = false;
  /** Workflow time each channel last had a code sent, and how many were sent (step numbers for idempotency). */
  readonly lastCodeSentAt = { EMAIL: 0, PHONE: 0 };
  readonly codesSent = { EMAIL: 0, PHONE: 0 };
  /** Workflow times of each channel's codes in the last 24 hours (older ones are dropped as new ones go out). */
  readonly recentCodeSends: { EMAIL: number[]; PHONE: number[] } = { EMAIL: [], PHONE: [] };
  /** Bumped by every accepted action; waits compare it to notice progress. */
  progress = 0;
  reminders = 0;
  lastProgressAt = 0;
  /** Customer notices sent beside the lifecycle (see notifications.ts); awaited only before the workflow ends. */
  readonly noticesInFlight: Array<Promise<void>> = [];
  /** Set while this run hands over to the next (continue-as-new): work still retrying here stops. */
  continuing = false;
  /** Set synchronously when a KYC start is accepted, so a second concurrent start is refused. */
  kycStarting = false;
  /** The DueRequirement search attribute as last upserted. */
  dueRequirement?: string | null;
  /** The requirements last recorded as a webhook event, and whether a write of them is running (engine's). */
  publishedRequirements?: Requirements;
  requirementsInFlight?: boolean;
  /** The provider's answers by verification id, as callbacks bring them (this run only: a check never spans runs). */
  readonly kycResults = new Map<string, KycResult>();

  constructor(
    readonly input: OnboardingInput,
    readonly policy: OnboardingPolicy,
  ) {
    if (input.carried) this.restore(input.carried);
  }

  noteCodeSent(channel: 'EMAIL' | 'PHONE', at: number): void {
    this.lastCodeSentAt[channel] = at;
    this.codesSent[channel] += 1;
    const recent = this.recentCodeSends[channel];
    recent.splice(0, recent.length, ...recent.filter((sent) => sent > at - 24 * 60 * 60 * 1000), at);
  }

  /** Everything a continued run needs to go on where this one stopped (the policy travels in the input). */
  carry(): CarriedState {
    return {
      status: this.status,
      hasPhone: this.hasPhone,
      emailVerified: this.emailVerified,
      phoneVerified: this.phoneVerified,
      profileComplete: this.profileComplete,
      consents: [...this.consents],
      ...(this.kyc ? { kyc: { ...this.kyc } } : {}),
      verificationEmailSent: this.verificationEmailSent,
      lastCodeSentAt: { ...this.lastCodeSentAt },
      codesSent: { ...this.codesSent },
      recentCodeSends: { EMAIL: [...this.recentCodeSends.EMAIL], PHONE: [...this.recentCodeSends.PHONE] },
      progress: this.progress,
      reminders: this.reminders,
      lastProgressAt: this.lastProgressAt,
      ...(this.dueRequirement !== undefined ? { dueRequirement: this.dueRequirement } : {}),
      ...(this.publishedRequirements ? { publishedRequirements: this.publishedRequirements } : {}),
    };
  }

  private restore(carried: CarriedState): void {
    const { consents, lastCodeSentAt, codesSent, recentCodeSends, ...plain } = carried;
    Object.assign(this, plain);
    for (const type of consents) this.consents.add(type);
    Object.assign(this.lastCodeSentAt, lastCodeSentAt);
    Object.assign(this.codesSent, codesSent);
    Object.assign(this.recentCodeSends, recentCodeSends);
  }

  get ended(): boolean {
    return ENDED.has(this.status);
  }

  missingConsents(): ConsentType[] {
    return this.policy.requiredConsents.filter((type) => !this.consents.has(type));
  }

  /** The status the customer's achievements imply while the onboarding is before KYC. */
  pendingStatus(): CustomerStatus {
    if (!this.emailVerified) return 'PENDING_EMAIL_VERIFICATION';
    if (this.hasPhone && !this.phoneVerified) return 'PENDING_PHONE_VERIFICATION';
    if (!this.profileComplete) return 'PENDING_PROFILE';
    if (this.missingConsents().length > 0) return 'PENDING_CONSENTS';
    return 'PENDING_KYC';
  }

  /** What can be done right now, in the order that matters. Consents may be given at any step before KYC. */
  due(): Requirement[] {
    const consents = this.missingConsents().map((type): Requirement => `CONSENT:${type}`);
    switch (this.status) {
      case 'PENDING_EMAIL_VERIFICATION':
        return ['EMAIL_VERIFICATION', ...consents];
      case 'PENDING_PHONE_VERIFICATION':
        return ['PHONE_VERIFICATION', ...consents];
      case 'PENDING_PROFILE':
        return ['PROFILE', ...consents];
      case 'PENDING_CONSENTS':
        return consents;
      case 'PENDING_KYC':
        return ['KYC'];
      case 'KYC_IN_PROGRESS':
        return ['KYC_RESULT'];
      case 'MANUAL_REVIEW':
        return ['MANUAL_REVIEW'];
      case 'KYC_APPROVED':
        return ['ACTIVATION'];
      default:
        return [];
    }
  }

  /** Failed requirements, with a reason the tenant may read. */
  errors(): RequirementError[] {
    return this.kyc?.status === 'REJECTED' ? [KYC_REJECTED] : [];
  }

  isBeforeKyc(): boolean {
    return ['PENDING_EMAIL_VERIFICATION', 'PENDING_PHONE_VERIFICATION', 'PENDING_PROFILE', 'PENDING_CONSENTS', 'PENDING_KYC'].includes(
      this.status,
    );
  }

  snapshot(): OnboardingSnapshot {
    return {
      customerId: this.input.customerId,
      status: this.status,
      due: this.due(),
      verificationEmailSent: this.verificationEmailSent,
      consents: [...this.consents],
      ...(this.kyc ? { kyc: { verificationId: this.kyc.verificationId, status: this.kyc.status } } : {}),
    };
  }
}
