/**
 * All activities, built from their clients. The worker passes real ones; tests pass real or local doubles
 * without module mocking. Workflows import only the type.
 */
import type { Knex } from '../common/db';
import { createCustomerActivities } from './customers';
import { createEmailVerificationActivities } from './email-verification';
import type { Mailer } from './mailer';
import { createStatusActivities } from './status';

export interface ActivityDeps {
  db: Knex;
  mailer: Mailer;
  codeHashKey: Buffer;
  codeTtlMinutes: number;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createCustomerActivities(deps),
    ...createEmailVerificationActivities(deps),
    ...createStatusActivities(deps),
  };
}

export type OnboardingActivities = ReturnType<typeof createActivities>;
