/**
 * The baseline journey's activities: each does the least real work of its kind on the baseline's own database
 * (one insert or one update), the e-mails one claimed row and one real mail through the stack's SMTP (MailDev), so
 * the same client reads the code the same way. The KYC check calls nothing external: a stand-in provider in this
 * process posts the decision to the baseline's own callback route about 50 ms later, as the stack's sandbox does.
 */
import { createHash, randomInt } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import type pg from 'pg';
import type { Mailer } from '../../activities/mailer';
import type { BaselineRegistration } from './contract';
import type { JourneyStatus, KycCallback } from './journey-contract';

export async function createJourneyTables(pool: pg.Pool): Promise<void> {
  await pool.query(`
    CREATE TABLE IF NOT EXISTS journey_customers (
      id text PRIMARY KEY,
      first_name text NOT NULL,
      last_name text NOT NULL,
      email text NOT NULL,
      status text NOT NULL,
      profile jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX IF NOT EXISTS journey_customers_email ON journey_customers (lower(email));
    CREATE TABLE IF NOT EXISTS journey_emails (
      key text PRIMARY KEY,
      customer_id text NOT NULL REFERENCES journey_customers,
      code_hash text,
      consumed_at timestamptz,
      sent_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX IF NOT EXISTS journey_emails_customer ON journey_emails (customer_id);
    CREATE TABLE IF NOT EXISTS journey_consents (
      customer_id text NOT NULL REFERENCES journey_customers,
      type text NOT NULL,
      version text NOT NULL,
      given_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (customer_id, type)
    );
    CREATE TABLE IF NOT EXISTS journey_verifications (
      id text PRIMARY KEY,
      customer_id text NOT NULL REFERENCES journey_customers,
      check_id text,
      status text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    );`);
}

/** The stand-in KYC provider: accepts a check and calls the baseline back with its decision. */
export interface StandInProvider {
  accept(customerId: string, callback: KycCallback): void;
}

/** Decides about 50 ms after accepting, like the stack's sandbox, and posts the decision to `callbackUrl`. */
export function standInKycProvider(callbackUrl: () => string, decideAfterMs = 50): StandInProvider {
  return {
    accept(customerId, callback) {
      setTimeout(() => {
        const body = JSON.stringify({ customerId, ...callback });
        fetch(callbackUrl(), { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then(
          (res) => res.ok || console.error(`Baseline KYC callback answered ${res.status}`),
          (error: unknown) => console.error('Baseline KYC callback failed:', error instanceof Error ? error.message : error),
        );
      }, decideAfterMs);
    },
  };
}

export type EmailTemplate = 'verification-code' | 'kyc-approved' | 'welcome';

const SUBJECTS: Record<EmailTemplate, string> = {
  'verification-code': 'Your verification code', // the subject the bench's journey looks for, as the project's
  'kyc-approved': 'Your identity is verified',
  welcome: 'Welcome',
};

const hashOf = (code: string) => createHash('sha256').update(code).digest('hex');

export function createJourneyActivities({ pool, mailer, provider }: { pool: pg.Pool; mailer: Mailer; provider: StandInProvider }) {
  const update = async (sql: string, values: unknown[]) => void (await pool.query(sql, values));
  return {
    /** The registration insert (a local activity), idempotent by id like the registration baseline's. */
    async insertCustomer(registration: BaselineRegistration): Promise<{ createdAt: string }> {
      const { rows } = await pool.query<{ created_at: Date }>(
        `INSERT INTO journey_customers (id, first_name, last_name, email, status) VALUES ($1, $2, $3, $4, 'PENDING_EMAIL_VERIFICATION')
         ON CONFLICT (id) DO UPDATE SET id = EXCLUDED.id RETURNING created_at`,
        [registration.customerId, registration.firstName, registration.lastName, registration.email],
      );
      return { createdAt: rows[0].created_at.toISOString() };
    },

    /**
     * One e-mail at most per key: the claimed row first, then the mail (a send that fails after its claim is not
     * retried into a second mail). The verification code is stored hashed in the claim.
     */
    async sendEmail(input: { key: string; customerId: string; email: string; template: EmailTemplate }): Promise<void> {
      const code = input.template === 'verification-code' ? String(randomInt(0, 1_000_000)).padStart(6, '0') : undefined;
      const { rowCount } = await pool.query(
        'INSERT INTO journey_emails (key, customer_id, code_hash) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING',
        [input.key, input.customerId, code === undefined ? null : hashOf(code)],
      );
      if (!rowCount) return;
      const text = code === undefined ? `${SUBJECTS[input.template]}.` : `Your verification code is ${code}.`;
      await mailer.send({ to: input.email, subject: SUBJECTS[input.template], text, html: `<p>${text}</p>`, messageId: `<${input.key}@baseline.local>` });
    },

    /** Consumes the code sent to the customer (a repeat of the same consumption answers the same). */
    async consumeCode({ customerId, code }: { customerId: string; code: string }): Promise<void> {
      const { rowCount } = await pool.query(
        'UPDATE journey_emails SET consumed_at = coalesce(consumed_at, now()) WHERE customer_id = $1 AND code_hash = $2',
        [customerId, hashOf(code)],
      );
      if (!rowCount) throw ApplicationFailure.nonRetryable('The code is not the one sent', 'InvalidCode');
    },

    async recordStatus({ customerId, status }: { customerId: string; status: JourneyStatus }): Promise<void> {
      await update('UPDATE journey_customers SET status = $2, updated_at = now() WHERE id = $1', [customerId, status]);
    },

    async saveProfile({ customerId, profile }: { customerId: string; profile: Record<string, unknown> }): Promise<void> {
      await update('UPDATE journey_customers SET profile = $2, updated_at = now() WHERE id = $1', [customerId, profile]);
    },

    async saveConsent({ customerId, type, version }: { customerId: string; type: string; version: string }): Promise<void> {
      await update('INSERT INTO journey_consents (customer_id, type, version) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [customerId, type, version]);
    },

    async openVerification({ customerId, verificationId }: { customerId: string; verificationId: string }): Promise<void> {
      await update(`INSERT INTO journey_verifications (id, customer_id, status) VALUES ($1, $2, 'IN_PROGRESS') ON CONFLICT DO NOTHING`, [verificationId, customerId]);
    },

    /** Names the check on the verification and hands it to the stand-in provider (which approves it). */
    async submitKycCheck({ customerId, verificationId }: { customerId: string; verificationId: string }): Promise<{ checkId: string }> {
      const checkId = `chk_${verificationId.slice(4)}`;
      await update('UPDATE journey_verifications SET check_id = $2, updated_at = now() WHERE id = $1', [verificationId, checkId]);
      provider.accept(customerId, { verificationId, checkId, decision: 'APPROVED' });
      return { checkId };
    },

    async recordKycOutcome({ verificationId, decision }: { verificationId: string; decision: KycCallback['decision'] }): Promise<void> {
      await update('UPDATE journey_verifications SET status = $2, updated_at = now() WHERE id = $1', [verificationId, decision]);
    },
  };
}

export type JourneyActivities = ReturnType<typeof createJourneyActivities>;
