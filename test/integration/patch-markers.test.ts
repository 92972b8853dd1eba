/**
 * A new onboarding records its patches as one marker (workflows/engine/patches.ts): every patch an execution meets
 * live writes a marker and a TemporalChangeVersion search-attribute upsert, so a whole onboarding used to carry a
 * dozen of each. Executions recorded before the fold still replay through their own markers (test/replay).
 */
import { temporal } from '@temporalio/proto';
import { onboardingWorkflowId } from '../../common/onboarding-contract';
import { startHarness, type Harness } from '../support/harness';
import { activeCustomer } from '../support/journey';
import { createTenant, type TenantSession } from '../support/tenant-client';

const { EventType } = temporal.api.enums.v1;

let h: Harness;
let tenant: TenantSession;

beforeAll(async () => {
  h = await startHarness('patch-markers');
  tenant = await createTenant(h);
});
afterAll(() => h?.close());

function patchIds(events: temporal.api.history.v1.IHistoryEvent[]): string[] {
  return events
    .filter((e) => e.eventType === EventType.EVENT_TYPE_MARKER_RECORDED && e.markerRecordedEventAttributes?.markerName === 'core_patch')
    .map((e) => {
      const data = e.markerRecordedEventAttributes!.details!['patch-data'].payloads![0].data!;
      return (JSON.parse(Buffer.from(data).toString('utf8')) as { id: string }).id;
    });
}

const changeVersionUpserts = (events: temporal.api.history.v1.IHistoryEvent[]) =>
  events.filter((e) => e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields?.TemporalChangeVersion !== undefined);

describe('patch markers of a new onboarding', () => {
  it('a whole individual onboarding, registration to ACTIVE, records one folded patch marker and one version upsert', async () => {
    const customer = await activeCustomer(h, tenant);
    const handle = h.temporal.workflow.getHandle(onboardingWorkflowId(tenant.tenantId, customer.customerId));
    await handle.result();
    const events = (await handle.fetchHistory()).events ?? [];

    expect(patchIds(events)).toEqual(['onboarding-patches-2026-11']);
    expect(changeVersionUpserts(events)).toHaveLength(1);
    // The folded patches' code ran: the DueRequirement and KycStatus attributes were kept up to date on the way.
    const description = await handle.describe();
    expect(description.searchAttributes).toMatchObject({ OnboardingStatus: ['ACTIVE'], KycStatus: ['APPROVED'] });
  }, 90_000);
});
