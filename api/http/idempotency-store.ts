/**
 * Idempotency-Key records (Stripe's semantics), kept in Postgres for 24 h per tenant and credential. The first
 * request claims its key (IN_PROGRESS); its answer is then stored and replayed to retries, or the claim is
 * released when the work did not happen (an outage, a 429), so a retry can do it.
 *
 * Stored answers hold personal data (registration echoes the e-mail and names), so they are encrypted with
 * the payload keyring's field cipher (AES-256-GCM, rotates with the keyring), bound to their row; they are never
 * logged. Encrypting the whole answer keeps one mechanism for every route, where rebuilding answers from the
 * tables would need per-route code and could drift from what was first sent.
 */
import { randomBytes } from 'node:crypto';
import type { FieldCipher } from '../../common/field-encryption';
import type { Knex } from '../../common/db';
import type { Logger } from '../../common/logger';
import { IdempotencyKeyInUseError, IdempotencyKeyReusedError, loggableError } from './errors';

export interface IdempotencyScope {
  /** The tenant, or PLATFORM_SCOPE for the platform admin. */
  tenantId: string;
  /** Which credential of the tenant: the OAuth client, the API key, or the platform admin token. */
  credentialId: string;
  key: string;
}

export interface StoredAnswer {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

export type Claim = { replay: false; token: string } | { replay: true; answer: StoredAnswer };

export const PLATFORM_SCOPE = 'platform';
const TABLE = 'idempotency_keys';
const RETENTION = "interval '24 hours'";
/** A claim older than this whose request never finished (the process died) may be taken over by a retry. */
const ABANDONED_AFTER = "interval '2 minutes'";
const SWEEP_EVERY_MS = 60_000;
const SWEEP_BATCH = 1000;
const DEAD = `expires_at <= now() or (state = 'IN_PROGRESS' and created_at < now() - ${ABANDONED_AFTER})`;
/** Claim attempts before giving up: each lost race means another request is working on this key right now. */
const CLAIM_ATTEMPTS = 3;

export const IDEMPOTENCY_PURPOSE = 'idempotency-responses';

/** `cipher`: the payload keyring's field cipher, so stored answers survive a key rotation. */
export function createIdempotencyService({ db, cipher, logger }: { db: Knex; cipher: FieldCipher; logger: Logger }) {
  const pk = ({ tenantId, credentialId, key: idempotencyKey }: IdempotencyScope) => ({
    tenant_id: tenantId,
    credential_id: credentialId,
    key: idempotencyKey,
  });
  const context = (scope: IdempotencyScope) => JSON.stringify([scope.tenantId, scope.credentialId, scope.key]);
  const seal = (scope: IdempotencyScope, answer: Omit<StoredAnswer, 'status'>): string => cipher.encrypt(JSON.stringify(answer), context(scope));
  const open = (scope: IdempotencyScope, sealed: string): Omit<StoredAnswer, 'status'> => JSON.parse(cipher.decrypt(sealed, context(scope)));

  let lastSweep = 0;
  /** Expired keys go in small batches, at most once a minute per process, off the request's path. */
  const sweepSoon = () => {
    if (Date.now() - lastSweep < SWEEP_EVERY_MS) return;
    lastSweep = Date.now();
    db.raw(`delete from ${TABLE} where ctid = any(array(select ctid from ${TABLE} where expires_at < now() limit ?))`, [SWEEP_BATCH]).catch(
      (error: unknown) => logger.warn({ err: loggableError(error) }, 'idempotency sweep failed'),
    );
  };

  return {
    /**
     * Claims the key for this request, or answers what the first request with it got. Throws 422 when the key
     * was used for another request, 409 while the first is still running.
     */
    async claim(scope: IdempotencyScope, fingerprint: string): Promise<Claim> {
      sweepSoon();
      for (let attempt = 1; attempt <= CLAIM_ATTEMPTS; attempt++) {
        const token = randomBytes(12).toString('base64url');
        const inserted = await db(TABLE)
          .insert({ ...pk(scope), fingerprint, state: 'IN_PROGRESS', claim_token: token, expires_at: db.raw(`now() + ${RETENTION}`) })
          .onConflict(['tenant_id', 'credential_id', 'key'])
          .ignore()
          .returning('key');
        if (inserted.length) return { replay: false, token };

        const row = await db(TABLE)
          .where(pk(scope))
          .first<{ fingerprint: string; state: string; response_status: number | null; response: string | null; dead: boolean } | undefined>(
            'fingerprint',
            'state',
            'response_status',
            'response',
            db.raw(`${DEAD} as dead`),
          );
        if (!row) continue; // released between our insert and this read: claim again
        if (row.dead) {
          // Expired, or abandoned by a process that died mid-request: free it (unless a retry already has) and claim anew.
          await db(TABLE).where(pk(scope)).whereRaw(`(${DEAD})`).delete();
          continue;
        }
        if (row.fingerprint !== fingerprint) throw new IdempotencyKeyReusedError();
        if (row.state !== 'COMPLETED') throw new IdempotencyKeyInUseError();
        return { replay: true, answer: { status: row.response_status!, ...open(scope, row.response!) } };
      }
      throw new IdempotencyKeyInUseError();
    },

    /**
     * Stores the answer for replay, or releases the key when `answer` is undefined (the work did not happen).
     * Never throws: the caller's answer matters more than the record. If this write fails, the claim is taken
     * over once abandoned (see ABANDONED_AFTER).
     */
    async finish(scope: IdempotencyScope, token: string, answer: StoredAnswer | undefined): Promise<void> {
      try {
        const row = db(TABLE).where({ ...pk(scope), state: 'IN_PROGRESS', claim_token: token });
        if (!answer) await row.delete();
        else await row.update({ state: 'COMPLETED', response_status: answer.status, response: seal(scope, { body: answer.body, headers: answer.headers }) });
      } catch (error) {
        logger.warn({ err: loggableError(error) }, 'idempotency record not finished');
      }
    },
  };
}

export type IdempotencyService = ReturnType<typeof createIdempotencyService>;
