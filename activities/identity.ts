/**
 * Activities of the identity-verification child that are not the KYC check itself: what the provider still
 * lacks about the subject, and the e-mail inviting the person to supply it. The check (open, submit, poll,
 * record) is activities/kyc.ts, shared with the individual's onboarding.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { SubjectRef } from '../common/identity-contract';
import type { Knex } from '../common/db';
import { messageIdFor } from './email-verification';
import { hashInvitationCode, newInvitationCode } from './identity-invitation';
import type { SubjectData, SubjectResolver } from './identity-subjects';
import { KYC_CHECK_NEEDS } from './kyc-provider';
import type { Mailer } from './mailer';
import { sendOnce } from './send-once';
import { identityInvitationEmail } from './templates/identity-invitation';

export const IdentityInvitationFailure = {
  /** Details are missing and there is no e-mail address to ask the person for them. */
  Unreachable: 'IdentitySubjectUnreachable',
} as const;

interface SubjectInput {
  tenantId: string;
  customerId: string;
  subject: SubjectRef;
}

/** Which of the check's needs the subject's data leaves open (names, never values: the result is in the history). */
export function missingFor(data: SubjectData): string[] {
  const present: Record<(typeof KYC_CHECK_NEEDS)[number], unknown> = {
    firstName: data.firstName,
    lastName: data.lastName,
    dateOfBirth: data.dateOfBirth,
    country: data.countryOfResidence,
  };
  return KYC_CHECK_NEEDS.filter((need) => !present[need]);
}

export function createIdentityActivities({ db, mailer, subjects, codeHashKey }: { db: Knex; mailer: Mailer; subjects: SubjectResolver; codeHashKey: Buffer }) {
  return {
    async missingIdentityDetails({ tenantId, customerId, subject }: SubjectInput): Promise<{ missing: string[] }> {
      return { missing: missingFor(await subjects.resolve(tenantId, customerId, subject)) };
    },

    /**
     * Issues a fresh code (the hash replaces any earlier one, so only the latest e-mail's code works) and mails
     * it, at most once per idempotency key. The code is valid until `validUntil`, when the child stops waiting.
     */
    async sendIdentityInvitation(input: SubjectInput & { idempotencyKey: string; validUntil: string; reminder: boolean }) {
      const { tenantId, customerId, subject } = input;
      const person = await subjects.resolve(tenantId, customerId, subject);
      if (!person.email) throw ApplicationFailure.nonRetryable('The subject has no e-mail address to invite', IdentityInvitationFailure.Unreachable);
      const to = person.email;
      return sendOnce(db, 'outbound_emails', { tenantId, customerId, idempotencyKey: input.idempotencyKey, template: 'identity-invitation' }, async () => {
        const code = newInvitationCode();
        await db('identity_subject_details')
          .insert({
            tenant_id: tenantId,
            customer_id: customerId,
            subject_id: subject.id,
            subject_type: subject.type,
            invitation_code_hash: hashInvitationCode(codeHashKey, { tenantId, customerId, subjectId: subject.id }, code),
            invitation_expires_at: new Date(input.validUntil),
          })
          .onConflict(['tenant_id', 'customer_id', 'subject_id'])
          .merge(['invitation_code_hash', 'invitation_expires_at']);
        await mailer.send({
          to,
          messageId: messageIdFor(tenantId, input.idempotencyKey),
          ...identityInvitationEmail({ firstName: person.firstName, code, reminder: input.reminder }),
        });
      });
    },
  };
}
