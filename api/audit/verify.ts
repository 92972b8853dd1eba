/**
 * Walks the whole audit chain in id order, a page at a time, and answers the first break (chain.ts says what
 * counts as one) or the number of rows checked and the head hash. The head hash is worth keeping outside the
 * database: the chain alone cannot show that its newest rows were removed, a kept head can.
 */
import type { Knex } from '../../common/db';
import { firstBreak, type ChainBreak } from './chain';
import { fromRecord, type AuditRecord } from './trail';

const PAGE = 1000;

export type ChainReport = { intact: true; rows: number; head: { id: number; hash: string } | null } | { intact: false; rows: number; broken: ChainBreak };

export async function verifyAuditChain(db: Knex): Promise<ChainReport> {
  let previous: { id: number; hash: string } | undefined;
  let checked = 0;
  for (;;) {
    const records: AuditRecord[] = await db('audit_events')
      .where('id', '>', previous?.id ?? 0)
      .orderBy('id')
      .limit(PAGE);
    const rows = records.map(fromRecord);
    const broken = firstBreak(previous, rows);
    if (broken) return { intact: false, rows: checked + rows.filter((r) => r.id < broken.id).length, broken };
    checked += rows.length;
    if (rows.length) previous = { id: rows.at(-1)!.id, hash: rows.at(-1)!.hash };
    if (rows.length < PAGE) return { intact: true, rows: checked, head: previous ?? null };
  }
}
