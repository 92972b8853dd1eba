/**
 * Records histories of the businessVerification child workflow into test/histories/ as `kyb-<scenario>.json`
 * (`npm run record-histories` runs this beside record-histories.ts; it is not part of `npm test`). Each scenario
 * starts the child as the organization's onboarding will and drives it through the sandbox vendor and the API's
 * staff route. Re-record only when a change is meant to be incompatible (and then version the workflow).
 */
import { kybSnapshotQuery, type BusinessVerificationInput } from '../../common/kyb-contract';
import { startHarness, type Harness } from '../support/harness';
import { insertOrganization, staffKybDecision, startKyb } from '../support/kyb';
import { createTenant } from '../support/tenant-client';
import { FIXTURE_SECRETS, saveHistory } from './histories';

let h: Harness;
beforeAll(async () => {
  h = await startHarness('record_kyb', { secrets: FIXTURE_SECRETS });
});
afterAll(() => h?.close());

async function run(legalName: string, timing: Pick<BusinessVerificationInput, 'firstPollAfter' | 'resultTimeout'> = {}) {
  const tenant = await createTenant(h);
  const organizationId = await insertOrganization(h, tenant.tenantId);
  // Fixed company data: the recorded payloads hold fixture data only.
  const handle = await startKyb(h, {
    tenantId: tenant.tenantId,
    organizationId,
    company: { legalName, registrationNumber: '01234567', countryOfIncorporation: 'GBR' },
    ...timing,
  });
  return { organizationId, handle };
}

async function inManualReview(handle: Awaited<ReturnType<typeof run>>['handle']) {
  for (const deadline = Date.now() + 20_000; (await handle.query(kybSnapshotQuery)).status !== 'MANUAL_REVIEW'; ) {
    if (Date.now() > deadline) throw new Error('never reached MANUAL_REVIEW');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function decide(organizationId: string, decision: 'APPROVE' | 'REJECT') {
  const res = await staffKybDecision(h, organizationId, { decision, reason: 'Checked against the registry extract' });
  if (res.status !== 200) throw new Error(`kyb-decision: ${res.status} ${JSON.stringify(res.body)}`);
}

async function record(scenario: string, handle: Awaited<ReturnType<typeof run>>['handle'], status: string) {
  expect(await handle.result()).toMatchObject({ status });
  saveHistory(`kyb-${scenario}`, await handle.fetchHistory());
}

it('records a company approved by the vendor', async () => {
  const { handle } = await run('Fixture Trading Limited');
  await record('approved', handle, 'APPROVED');
});

it('records a REVIEW approved by staff', async () => {
  const { organizationId, handle } = await run('Fixture Review Limited');
  await inManualReview(handle);
  await decide(organizationId, 'APPROVE');
  await record('manual-review-approved', handle, 'APPROVED');
});

it('records a silent vendor polled into manual review, then rejected by staff', async () => {
  const { organizationId, handle } = await run('Fixture Silent Limited', { firstPollAfter: '500ms', resultTimeout: '2s' });
  await inManualReview(handle);
  await decide(organizationId, 'REJECT');
  await record('polled-manual-review-rejected', handle, 'REJECTED');
});

it('records a registry mismatch ending in a requirement error', async () => {
  const { handle } = await run('Fixture Mismatch Limited');
  await record('registry-mismatch', handle, 'REJECTED');
});
