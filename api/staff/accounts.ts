/**
 * Staff accounts: the platform token bootstraps the first PLATFORM_ADMIN, who then creates the others. A new
 * account is opened by a one-time setup token (256 random bits, shown once, stored as a digest): its holder sets a
 * password, receives a TOTP secret and confirms it with a first code, and only then gets recovery codes and may log
 * in. Disabling an account ends its sessions at once.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from '../../common/db';
import type { StaffRole } from '../../common/access';
import type { FieldCipher } from '../../common/field-encryption';
import { acceptedTotpStep, newRecoveryCodes, newTotpEnrolment } from '../auth/totp';
import { ConflictError, ForbiddenError, NotFoundError, UnauthorizedError, ValidationError } from '../http/errors';
import type { PasswordHasher } from '../individuals/passwords';
import type { StaffSessions } from './sessions';

export interface StaffAccountView {
  staffId: string;
  email: string;
  roles: StaffRole[];
  tenantId?: string;
  status: 'PENDING_ENROLMENT' | 'ACTIVE' | 'DISABLED';
  createdAt: string;
}

export interface NewStaffAccount {
  email: string;
  roles: StaffRole[];
  tenantId?: string;
}

export interface AccountSettings {
  setupTokenTtlHours: number;
  /** The issuer an authenticator app shows beside the account. */
  totpIssuer: string;
}

interface AccountRow {
  id: string;
  email: string;
  roles: StaffRole[];
  tenant_id: string | null;
  totp_secret_sealed: string | null;
  totp_last_step: string | null;
  totp_confirmed_at: Date | null;
  disabled_at: Date | null;
  created_at: Date;
}

const UNIQUE_VIOLATION = '23505';
const FOREIGN_KEY_VIOLATION = '23503';
const digest = (token: string) => createHash('sha256').update(token).digest('base64url');
/** The TOTP secret is sealed to its account: a ciphertext copied to another row does not open. */
export const totpContext = (accountId: string) => `staff-totp:${accountId}`;

export function viewOf(row: AccountRow): StaffAccountView {
  return {
    staffId: row.id,
    email: row.email,
    roles: row.roles,
    ...(row.tenant_id ? { tenantId: row.tenant_id } : {}),
    status: row.disabled_at ? 'DISABLED' : row.totp_confirmed_at ? 'ACTIVE' : 'PENDING_ENROLMENT',
    createdAt: row.created_at.toISOString(),
  };
}

export function createStaffAccounts(deps: { db: Knex; passwords: PasswordHasher; totpCipher: FieldCipher; sessions: StaffSessions; settings: AccountSettings }) {
  const { db, passwords, totpCipher, sessions, settings } = deps;

  async function insert(trx: Knex, account: NewStaffAccount, createdBy: string | null) {
    const setupToken = `sse_${randomBytes(32).toString('base64url')}`;
    try {
      const [row] = await trx('staff_accounts')
        .insert({
          id: `stf_${randomBytes(12).toString('hex')}`,
          email: account.email,
          roles: account.roles,
          tenant_id: account.tenantId ?? null,
          setup_token_digest: digest(setupToken),
          setup_expires_at: trx.raw('now() + make_interval(hours => ?)', [settings.setupTokenTtlHours]),
          created_by: createdBy,
        })
        .returning<Array<AccountRow & { setup_expires_at: Date }>>('*');
      return { ...viewOf(row!), setupToken, setupExpiresAt: row!.setup_expires_at.toISOString() };
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === UNIQUE_VIOLATION) throw new ConflictError('A staff account with this e-mail exists already');
      if (code === FOREIGN_KEY_VIOLATION) throw new ValidationError([{ field: 'tenantId', message: 'No such tenant' }]);
      throw error;
    }
  }

  /** The pending account a live setup token opens, or 401. */
  async function pendingBySetupToken(setupToken: string): Promise<AccountRow> {
    const row = await db('staff_accounts')
      .where({ setup_token_digest: digest(setupToken) })
      .where('setup_expires_at', '>', db.fn.now())
      .whereNull('totp_confirmed_at')
      .whereNull('disabled_at')
      .first<AccountRow | undefined>();
    if (!row) throw new UnauthorizedError('Invalid or expired setup token');
    return row;
  }

  return {
    /** The first PLATFORM_ADMIN; refused once any staff account exists (an advisory lock orders concurrent calls). */
    async bootstrap(email: string) {
      return db.transaction(async (trx) => {
        await trx.raw(`select pg_advisory_xact_lock(hashtext('staff_accounts:bootstrap'))`);
        if (await trx('staff_accounts').first('id')) {
          throw new ForbiddenError('Staff accounts exist already: the platform token creates only the first one');
        }
        return insert(trx, { email, roles: ['PLATFORM_ADMIN'] }, null);
      });
    },

    create: (createdBy: string, account: NewStaffAccount) => insert(db, account, createdBy),

    async get(staffId: string): Promise<StaffAccountView> {
      const row = await db('staff_accounts').where({ id: staffId }).first<AccountRow | undefined>();
      if (!row) throw new NotFoundError('Staff account not found');
      return viewOf(row);
    },

    async list(): Promise<StaffAccountView[]> {
      return (await db('staff_accounts').orderBy('created_at').select<AccountRow[]>()).map(viewOf);
    },

    /** Sets an account's roles; they apply to its live sessions from the next request. Not one's own. */
    async setRoles(actorId: string, staffId: string, change: Pick<NewStaffAccount, 'roles' | 'tenantId'>): Promise<StaffAccountView> {
      if (actorId === staffId) throw new ConflictError('You cannot change your own roles');
      try {
        const [row] = await db('staff_accounts')
          .where({ id: staffId })
          .update({ roles: change.roles, tenant_id: change.tenantId ?? null })
          .returning<AccountRow[]>('*');
        if (!row) throw new NotFoundError('Staff account not found');
        return viewOf(row);
      } catch (error) {
        if ((error as { code?: string }).code === FOREIGN_KEY_VIOLATION) throw new ValidationError([{ field: 'tenantId', message: 'No such tenant' }]);
        throw error;
      }
    },

    /** Disables an account and revokes its sessions in one transaction. Not one's own. */
    async disable(actorId: string, staffId: string): Promise<StaffAccountView> {
      if (actorId === staffId) throw new ConflictError('You cannot disable your own account');
      return db.transaction(async (trx) => {
        const [row] = await trx('staff_accounts')
          .where({ id: staffId })
          .update({ disabled_at: trx.raw('coalesce(disabled_at, now())'), setup_token_digest: null })
          .returning<AccountRow[]>('*');
        if (!row) throw new NotFoundError('Staff account not found');
        await sessions.revokeAll(staffId, trx);
        return viewOf(row);
      });
    },

    /** Ends every session of an account at once; answers how many were live. */
    async revokeSessions(staffId: string): Promise<number> {
      if (!(await db('staff_accounts').where({ id: staffId }).first('id'))) throw new NotFoundError('Staff account not found');
      return sessions.revokeAll(staffId);
    },

    /** Enrolment, step 1: the setup token's holder sets a password and gets a new TOTP secret (again on a retry). */
    async startEnrolment(setupToken: string, password: string) {
      const account = await pendingBySetupToken(setupToken);
      const enrolment = await newTotpEnrolment(account.email, settings.totpIssuer);
      await db('staff_accounts')
        .where({ id: account.id })
        .whereNull('totp_confirmed_at')
        .update({ password_hash: await passwords.hash(password), totp_secret_sealed: totpCipher.encrypt(enrolment.secret, totpContext(account.id)), totp_last_step: null });
      return { otpauthUri: enrolment.uri, qrCode: enrolment.qrCode };
    },

    /** Enrolment, step 2: a first code proves the authenticator holds the secret; the recovery codes are shown once. */
    async confirmEnrolment(setupToken: string, code: string) {
      const account = await pendingBySetupToken(setupToken);
      if (!account.totp_secret_sealed) throw new ConflictError('Set a password and scan the TOTP secret first');
      const step = acceptedTotpStep(totpCipher.decrypt(account.totp_secret_sealed, totpContext(account.id)), code, null);
      if (step === undefined) throw new ValidationError([{ field: 'totp', message: 'Does not match the authenticator' }]);
      const recovery = newRecoveryCodes();
      await db.transaction(async (trx) => {
        const confirmed = await trx('staff_accounts')
          .where({ id: account.id })
          .whereNull('totp_confirmed_at')
          .update({ totp_confirmed_at: trx.fn.now(), totp_last_step: step, setup_token_digest: null, setup_expires_at: null });
        if (confirmed === 0) throw new UnauthorizedError('Invalid or expired setup token');
        await trx('staff_recovery_codes').insert(recovery.digests.map((d) => ({ account_id: account.id, digest: d })));
      });
      return { recoveryCodes: recovery.codes };
    },
  };
}

export type StaffAccounts = ReturnType<typeof createStaffAccounts>;
