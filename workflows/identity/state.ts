/** The child's state, its snapshot and its search attributes (ids and statuses only). */
import { setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import type { IdentityOutcome, IdentitySnapshot, IdentityStatus, IdentityVerificationInput } from '../../common/identity-contract';
import type { KycDecision, KycResult } from '../../common/onboarding-contract';
import { KycStatusKey } from '../../common/search-attributes';
import { checkDetailsText } from '../../common/workflow-labels';

export class IdentityState {
  status: IdentityStatus = 'STARTED';
  verificationId?: string;
  checkId?: string;
  reason?: string;
  reviewer?: string;
  missing: string[] = [];
  invitationsSent = 0;
  /** Set by the details update; cleared when the child looks at the details again. */
  detailsSupplied = false;
  staffDecision?: KycDecision;
  /** Provider decisions by verification id: the first answer counts, a repeated callback changes nothing. */
  readonly results = new Map<string, KycResult>();

  constructor(readonly input: IdentityVerificationInput) {}

  moveTo(status: IdentityStatus, reason?: string): void {
    this.status = status;
    if (reason !== undefined) this.reason = reason;
    upsertSearchAttributes([{ key: KycStatusKey, value: status }]);
    setCurrentDetails(checkDetailsText('KYC', status));
  }

  snapshot(): IdentitySnapshot {
    const { subject, role } = this.input;
    return {
      subject,
      role,
      status: this.status,
      verificationId: this.verificationId,
      reason: this.reason,
      reviewer: this.reviewer,
      missing: this.status === 'AWAITING_DETAILS' ? this.missing : [],
      invitationsSent: this.invitationsSent,
    };
  }

  outcome(): IdentityOutcome {
    const { subject, role } = this.input;
    const status = this.status === 'APPROVED' || this.status === 'REJECTED' ? this.status : 'EXPIRED';
    return { subject, role, status, verificationId: this.verificationId, reason: this.reason, reviewer: this.reviewer };
  }
}
