/**
 * Keeps a registration's secret material (the argon2 hash, the sealed tax ids) out of Temporal: the API stages it
 * in `registration_secrets` just before update-with-start, and the registration activity moves it into the
 * customer rows in the transaction that creates them (activities/customers.ts). The workflow payload only says
 * that something is staged.
 */
import type { Knex } from '../../common/db';
import type { SealedTaxIds } from '../../common/tax-ids';

/** Far longer than the workflow's one-minute registration window: a row older than this is an orphan. */
const STAGED_FOR_MS = 10 * 60_000;

export interface StagedSecrets {
  passwordHash?: string;
  taxIds?: SealedTaxIds;
}

/**
 * One statement: stores the row and sweeps the tenant's expired ones (left by an API that died between staging
 * and starting the workflow), so orphans live at most until the tenant's next registration with secrets.
 */
export async function stageRegistrationSecrets(db: Knex, tenantId: string, customerId: string, secrets: StagedSecrets): Promise<void> {
  await db.raw(
    `with swept as (delete from registration_secrets where tenant_id = ? and expires_at < now())
     insert into registration_secrets (tenant_id, customer_id, password_hash, tax_ids_encrypted, tax_ids_masked, expires_at)
     values (?, ?, ?, ?, ?::jsonb, ?)`,
    [
      tenantId,
      tenantId,
      customerId,
      secrets.passwordHash ?? null,
      secrets.taxIds?.encrypted ?? null,
      secrets.taxIds ? JSON.stringify(secrets.taxIds.masked) : null,
      new Date(Date.now() + STAGED_FOR_MS),
    ],
  );
}

/** Best effort after a refused registration: an error here must not hide the registration's own error. */
export async function discardRegistrationSecrets(db: Knex, tenantId: string, customerId: string): Promise<void> {
  await db('registration_secrets').where({ tenant_id: tenantId, customer_id: customerId }).del().catch(() => undefined);
}
