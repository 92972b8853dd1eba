/**
 * `npx tsx scripts/seal-stored-tax-ids.ts`: profiles stored before tax ids were sealed keep them in plain text in
 * `details.basic_info.tax_info`. This moves each into the encrypted column (under the active payload key) and its
 * masked copy, and strips it from `details`, one row per transaction. Safe to run twice.
 */
import { ConfigError, loadConfig } from '../common/config';
import { createDb, type Knex } from '../common/db';
import { fieldCipherFor, type FieldCipher } from '../common/field-encryption';
import { resolveSecrets } from '../common/secrets';
import { sealTaxIds, TAX_ID_PURPOSE, type TaxId } from '../common/tax-ids';

export async function sealStoredTaxIds(db: Knex, cipher: FieldCipher): Promise<number> {
  const rows: Array<{ tenant_id: string; customer_id: string }> = await db('customer_profiles')
    .whereRaw(`details -> 'basic_info' \\? 'tax_info'`)
    .select('tenant_id', 'customer_id');
  for (const { tenant_id: tenantId, customer_id: customerId } of rows) {
    await db.transaction(async (trx) => {
      const row = await trx('customer_profiles').where({ tenant_id: tenantId, customer_id: customerId }).forUpdate().first('details');
      const { tax_info: taxIds, ...basicInfo } = (row?.details?.basic_info ?? {}) as { tax_info?: TaxId[] };
      if (!taxIds) return;
      const sealed = taxIds.length > 0 ? sealTaxIds(cipher, tenantId, customerId, taxIds) : undefined;
      await trx('customer_profiles')
        .where({ tenant_id: tenantId, customer_id: customerId })
        .update({
          details: JSON.stringify({ ...row.details, basic_info: basicInfo }),
          ...(sealed ? { tax_ids_encrypted: sealed.encrypted, tax_ids_masked: JSON.stringify(sealed.masked) } : {}),
        });
    });
  }
  return rows.length;
}

async function main() {
  const config = loadConfig();
  if (!config.DATABASE_URL) throw new ConfigError('Invalid configuration:\n  DATABASE_URL: required');
  const db = createDb(config.DATABASE_URL, 1);
  try {
    const sealed = await sealStoredTaxIds(db, fieldCipherFor(resolveSecrets(config), TAX_ID_PURPOSE));
    console.log(`Sealed the tax ids of ${sealed} profile(s)`);
  } finally {
    await db.destroy();
  }
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  });
}
