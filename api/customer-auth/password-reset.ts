/**
 * Password reset by e-mailed code (also how a customer created without a password sets one). A request always
 * answers the same and starts the same workflow, whether or not the address is a customer's (the workflow then
 * sends nothing); the code is checked here at the edge. A new password revokes every session of the customer.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { passwordResetLabels } from '../../common/workflow-labels';
import { tenantNameOf } from '../tenancy/tenant-names';
import type { Knex } from '../../common/db';
import {
  PASSWORD_RESET_WORKFLOW,
  passwordResetCompletedSignal,
  passwordResetWorkflowId,
  type PasswordResetInput,
} from '../../common/password-reset-contract';
import { passwordResetCodeHash } from '../../activities/password-reset';
import type { PasswordHasher } from '../individuals/passwords';
import { ValidationError } from '../http/errors';
import type { CustomerAccounts } from './accounts';
import type { LoginLockout } from './lockout';
import type { CustomerSessions } from './sessions';

/** Wrong codes one reset code takes. */
const MAX_ATTEMPTS = 5;

export interface PasswordResetDeps {
  db: Knex;
  temporal: Client;
  taskQueue: string;
  codeHashKey: Buffer;
  codeTtlMinutes: number;
  accounts: CustomerAccounts;
  passwords: PasswordHasher;
  sessions: CustomerSessions;
  lockout: LoginLockout;
}

export function createPasswordReset({ db, temporal, taskQueue, codeHashKey, codeTtlMinutes, accounts, passwords, sessions, lockout }: PasswordResetDeps) {
  const emailKey = (email: string) => createHmac('sha256', codeHashKey).update(`password-reset:${email.trim().toLowerCase()}`).digest('base64url');
  const refused = () => new ValidationError([{ field: 'code', message: 'The code is not correct or has expired; request a new one' }], 'Verification failed');

  return {
    async request(tenantId: string, email: string): Promise<void> {
      if (!(await accounts.tenantExists(tenantId))) return;
      const account = await accounts.byEmail(tenantId, email);
      const input: PasswordResetInput = { tenantId, customerId: account && accounts.maySignIn(account) ? account.id : undefined, codeTtlMinutes };
      await temporal.workflow.start(PASSWORD_RESET_WORKFLOW, {
        ...passwordResetLabels({ tenantId, tenantName: await tenantNameOf(db, tenantId), codeTtlMinutes }),
        workflowId: passwordResetWorkflowId(tenantId, emailKey(email)),
        taskQueue,
        args: [input],
        // A reset already under way keeps its code: asking again does not mail another before it expires.
        workflowIdConflictPolicy: 'USE_EXISTING',
      });
    },

    async confirm(tenantId: string, email: string, code: string, newPassword: string): Promise<void> {
      const account = (await accounts.tenantExists(tenantId)) ? await accounts.byEmail(tenantId, email) : undefined;
      if (!account || !accounts.maySignIn(account)) throw refused();
      const where = { tenant_id: tenantId, customer_id: account.id };
      const verdict = await db.transaction(async (trx) => {
        const row = await trx('customer_password_resets').where(where).forUpdate().first<{ code_hash: string; attempts: number; expires_at: Date } | undefined>();
        if (!row || row.attempts >= MAX_ATTEMPTS || row.expires_at.getTime() <= Date.now()) return false;
        const given = Buffer.from(passwordResetCodeHash(codeHashKey, account.id, code.trim()));
        const stored = Buffer.from(row.code_hash);
        if (given.length === stored.length && timingSafeEqual(given, stored)) return true;
        await trx('customer_password_resets').where(where).increment('attempts', 1);
        return false;
      });
      if (!verdict) throw refused();
      const passwordHash = await passwords.hash(newPassword);
      const taken = await db.transaction(async (trx) => {
        // Deleting the row is the claim: of two racing confirmations with the right code, one sets the password.
        if ((await trx('customer_password_resets').where(where).del()) !== 1) return false;
        await accounts.setPasswordHash(trx, tenantId, account.id, passwordHash);
        await sessions.revokeAll(tenantId, account.id, 'PASSWORD_RESET', trx);
        return true;
      });
      if (!taken) throw refused();
      await lockout.reset(tenantId, email);
      // Best effort: if the signal is lost, the workflow's timer removes nothing that is still there.
      await temporal.workflow
        .getHandle(passwordResetWorkflowId(tenantId, emailKey(email)))
        .signal(passwordResetCompletedSignal)
        .catch(() => undefined);
    },
  };
}

export type PasswordReset = ReturnType<typeof createPasswordReset>;
