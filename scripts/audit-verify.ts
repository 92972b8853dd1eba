/**
 * `npm run audit:verify`: walks the audit trail's hash chain in DATABASE_URL. Prints the rows checked and the head
 * hash when it is intact; otherwise names the first broken row and what fails (its own hash, its link to the row
 * before, or missing rows) and exits 1 (2 when it could not run).
 */
import { ConfigError, loadConfig } from '../common/config';
import { createDb } from '../common/db';
import { verifyAuditChain } from '../api/audit/verify';

async function main() {
  const config = loadConfig();
  if (!config.DATABASE_URL) throw new ConfigError('Invalid configuration:\n  DATABASE_URL: required to verify the audit trail');
  const db = createDb(config.DATABASE_URL, 1);
  try {
    const report = await verifyAuditChain(db);
    if (report.intact) {
      console.log(`Audit chain intact: ${report.rows} row(s) checked${report.head ? `; head row ${report.head.id}, hash ${report.head.hash}` : ''}`);
      return;
    }
    console.error(`Audit chain BROKEN at row ${report.broken.id} (${report.broken.problem}): ${report.broken.message}; ${report.rows} row(s) before it verified`);
    process.exitCode = 1;
  } finally {
    await db.destroy();
  }
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exitCode = 2;
});
