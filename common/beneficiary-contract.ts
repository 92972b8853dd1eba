/** What the API and the beneficiary-confirmation workflow agree on: its name, id, input and the signal that ends it. */
import { defineSignal } from '@temporalio/workflow';

export const BENEFICIARY_CONFIRMATION_WORKFLOW = 'beneficiaryConfirmation';

/** Ids and a duration only: the account, the contact and the code never enter the history. */
export interface BeneficiaryConfirmationInput {
  tenantId: string;
  customerId: string;
  beneficiaryId: string;
  /** How long the code is good for; the row's confirmation_expires_at says the same to the edge. */
  ttlMs: number;
}

/** The edge settled the beneficiary (confirmed, failed by wrong codes, or deleted): nothing is left to expire. */
export const beneficiaryConfirmationSettledSignal = defineSignal('beneficiaryConfirmationSettled');

export function beneficiaryConfirmationWorkflowId(tenantId: string, beneficiaryId: string): string {
  return `beneficiary-confirmation:${tenantId}:${beneficiaryId}`;
}

/** The customer asked for a new code (the edge checked the cooldown and counted it): the workflow sends one. */
export const beneficiaryConfirmationResendSignal = defineSignal('beneficiaryConfirmationResend');
