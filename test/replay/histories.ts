/**
 * Recorded workflow histories, kept under test/histories/ as protobuf JSON. They were written by real workflow
 * executions (npm run record-histories) with the fixture key below; replaying them against today's workflow
 * code proves a change is deterministic for executions already running in production.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import type { Secrets } from '../../common/secrets';

export const HISTORIES_DIR = join(__dirname, '..', 'histories');

/** Test-only key: the recorded histories contain fixture data and nothing else. */
export const FIXTURE_SECRETS: Secrets = {
  platformAdminToken: 'pat_replay_fixture_not_a_secret',
  jwtSecret: 'replay-fixture-jwt-secret-not-a-secret-0000',
  payloadKeyId: 'replay-fixture',
  payloadKey: Buffer.alloc(32, 0x5a).toString('base64'),
  kycWebhookSecret: `whsec_${Buffer.alloc(32, 0x5b).toString('base64')}`,
  kybWebhookSecret: `whsec_${Buffer.alloc(32, 0x5c).toString('base64')}`,
};

type History = temporal.api.history.v1.IHistory;

export function saveHistory(name: string, history: History): void {
  const json = temporal.api.history.v1.History.toObject(temporal.api.history.v1.History.fromObject(history), {
    longs: String,
    enums: String,
    bytes: String,
    defaults: false,
  });
  writeFileSync(join(HISTORIES_DIR, `${name}.json`), `${JSON.stringify(json, null, 2)}\n`);
}

export function loadHistories(): Array<{ workflowId: string; history: temporal.api.history.v1.History }> {
  return readdirSync(HISTORIES_DIR)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({
      workflowId: file.replace(/\.json$/, ''),
      history: temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(join(HISTORIES_DIR, file), 'utf8'))),
    }));
}
