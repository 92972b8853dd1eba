/** The demo tenant `npm start` prints: created once, its credentials kept under DATA_DIR for the next start. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Knex } from '../common/db';
import { createTenantService, type NewTenant } from '../api/tenancy/tenants';

export async function ensureDemoTenant(db: Knex, dataDir: string): Promise<NewTenant> {
  const file = join(dataDir, 'demo-tenant.json');
  let saved: NewTenant | undefined;
  try {
    saved = JSON.parse(readFileSync(file, 'utf8')) as NewTenant;
  } catch {
    saved = undefined;
  }
  const tenants = createTenantService(db);
  if (saved && (await tenants.exists(saved.tenantId))) return saved;
  const demo = await tenants.create(saved?.name ?? 'Demo Bank', saved?.tier ?? 'PROFESSIONAL', saved ?? {});
  writeFileSync(file, JSON.stringify(demo, null, 2), { mode: 0o600 });
  return demo;
}
