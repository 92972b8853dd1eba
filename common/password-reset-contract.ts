/** What the API and the password-reset workflow agree on: its name, id, input and the signal that ends it. */
import { defineSignal } from '@temporalio/workflow';

export const PASSWORD_RESET_WORKFLOW = 'customerPasswordReset';

export interface PasswordResetInput {
  tenantId: string;
  /** Absent when the e-mail address is no customer's: the workflow then ends without sending anything. */
  customerId?: string;
  codeTtlMinutes: number;
}

/** The edge took the code: the workflow has nothing left to expire. */
export const passwordResetCompletedSignal = defineSignal('passwordResetCompleted');

/** One reset per address at a time; the id carries a keyed hash of the address, never the address. */
export function passwordResetWorkflowId(tenantId: string, emailKey: string): string {
  return `customer-password-reset:${tenantId}:${emailKey}`;
}
