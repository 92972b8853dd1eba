/**
 * Idempotency-Key records (Stripe's semantics), kept in Postgres for 24 h per tenant and credential. The first
 * request claims its key (IN_PROGRESS); its answer is then stored and replayed to retries, or the claim is
 * released when the work did not happen (an outage, a 429), so a retry can do it.
 *
 * Stored answers hold personal data (registration echoes the e-mail and names), so they are encrypted with
 * AES-256-GCM under a key derived from the payload key, bound to their row by the additional data; they are never
 * logged. Encrypting the whole answer keeps one mechanism for every route, where rebuilding answers from the
 * tables would need per-route code and could drift from what was first sent.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { Knex } from '../../common/db';
import type { Logger } from '../../common/logger';
import { IdempotencyKeyInUseError, IdempotencyKeyReusedError, loggableError } from '../http/errors';

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
const IV_BYTES = 12;
const TAG_BYTES = 16;

export function deriveIdempotencyKey(payloadKeyBase64: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(payloadKeyBase64, 'base64'), '', 'idempotency-responses', 32));
}

export function createIdempotencyService({ db, key, logger }: { db: Knex; key: Buffer; logger: Logger }) {
  const pk = ({ tenantId, credentialId, key: idempotencyKey }: IdempotencyScope) => ({
    tenant_id: tenantId,
    credential_id: credentialId,
    key: idempotencyKey,
  });
  const aad = (scope: IdempotencyScope) => Buffer.from(JSON.stringify([scope.tenantId, scope.credentialId, scope.key]));

  const seal = (scope: IdempotencyScope, answer: Omit<StoredAnswer, 'status'>): Buffer => {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES }).setAAD(aad(scope));
    return Buffer.concat([iv, cipher.update(JSON.stringify(answer)), cipher.final(), cipher.getAuthTag()]);
  };
  const open = (scope: IdempotencyScope, sealed: Buffer): Omit<StoredAnswer, 'status'> => {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(aad(scope)).setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    const plain = Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
    return JSON.parse(plain.toString('utf8'));
  };

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
          .first<{ fingerprint: string; state: string; response_status: number | null; response: Buffer | null; dead: boolean } | undefined>(
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
