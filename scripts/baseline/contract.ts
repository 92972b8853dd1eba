/**
 * What the baseline's API and its workflow share: the workflow's name and its one update. Safe to import from
 * workflow code (definitions only).
 */
import { defineUpdate } from '@temporalio/workflow';

export const BASELINE_WORKFLOW = 'baselineRegistration';

/** The fields the project's registration stores about a person, minus everything the baseline does not do. */
export interface BaselineRegistration {
  customerId: string;
  firstName: string;
  lastName: string;
  email: string;
}

export interface BaselineReceipt {
  createdAt: string;
}

export const registerUpdate = defineUpdate<BaselineReceipt, [BaselineRegistration]>('register');
