import { Worker } from '@temporalio/worker';
import { dataConverterFor } from '../../common/temporal';
import { testInfrastructure } from '../support/infrastructure';
import { FIXTURE_SECRETS, loadHistories } from './histories';

describe('workflow determinism', () => {
  const histories = loadHistories();

  it('has recorded histories to replay', () => {
    expect(histories.length).toBeGreaterThanOrEqual(2);
    // Executions from before each patch, the KYC path where the provider's polls fail, and codes that never go out;
    // v2 from before the step engine, v3 on it (with the DueRequirement search attribute), v4 with the KYC in the
    // identity-verification child (individual-kyc-child), each KYC scenario with its child's own history; v5 with the
    // child prepared by the onboarding (no second row open, no details lookup); v6 recording requirement events.
    const scenarios = ['registered-then-expired', 'kyc-poll-failed-manual-review', 'code-never-sent-then-expired', 'full-lifecycle-active', 'continued-as-new-then-expired'];
    expect(histories.map((h) => h.workflowId)).toEqual(
      expect.arrayContaining(['v1-registered-then-expired', ...scenarios.flatMap((scenario) => [`v2-${scenario}`, `v3-${scenario}`, `v4-${scenario}`, `v6-${scenario}`])]),
    );
    const kycScenarios = ['full-lifecycle-active', 'kyc-rejected', 'manual-review-approved', 'kyc-poll-failed-manual-review'];
    expect(histories.map((h) => h.workflowId)).toEqual(
      expect.arrayContaining(
        kycScenarios.flatMap((scenario) => [`v3-${scenario}`, `v4-${scenario}`, `v4-${scenario}-kyc-child`, `v5-${scenario}`, `v5-${scenario}-kyc-child`, `v6-${scenario}`]),
      ),
    );
    // and the organization's KYB child on its vendor, polling, staff and registry-mismatch paths.
    expect(histories.map((h) => h.workflowId)).toEqual(
      expect.arrayContaining([
        'kyb-approved',
        'kyb-manual-review-approved',
        'kyb-polled-manual-review-rejected',
        'kyb-registry-mismatch',
      ]),
    );
    // Contact changes of an active customer: confirmed by the code, cancelled, expired.
    expect(histories.map((h) => h.workflowId)).toEqual(expect.arrayContaining(['contact-change-completed', 'contact-change-cancelled', 'contact-change-expired']));
    // The identity-verification child: invitation and details, staff review, polling to manual review, expiry.
    expect(histories.map((h) => h.workflowId)).toEqual(
      expect.arrayContaining(['idv-customer-approved', 'idv-party-details-review-approved', 'idv-party-silent-polled-rejected', 'idv-party-details-expired']),
    );
    // Organizations on the step engine, with their KYB and identity children: to ACTIVE, a person rejected and
    // approved by staff, KYB rejected, expired, and a duplicate refused.
    expect(histories.map((h) => h.workflowId)).toEqual(
      expect.arrayContaining([
        'org-full-lifecycle-active',
        'org-person-rejected-review-approved',
        'org-kyb-rejected',
        'org-registered-then-expired',
        'org-duplicate-refused',
        // and again recording requirement events (requirement-webhook-events)
        'org-v2-full-lifecycle-active',
        'org-v2-person-rejected-review-approved',
        'org-v2-kyb-rejected',
        'org-v2-registered-then-expired',
      ]),
    );
    // A customer's password reset: the code used before its timer, and an address that is no customer's.
    expect(histories.map((h) => h.workflowId)).toEqual(expect.arrayContaining(['password-reset-completed', 'password-reset-no-account']));
    // A subscription's webhook delivery pump: a catch-up after an outage ended by 410, and a window that closed.
    expect(histories.map((h) => h.workflowId)).toEqual(expect.arrayContaining(['webhook-catch-up-then-gone', 'webhook-failing-alerted']));
    // A beneficiary's confirmation: confirmed with a resent code, deleted while pending, left to expire.
    expect(histories.map((h) => h.workflowId)).toEqual(expect.arrayContaining(['beneficiary-resent-confirmed', 'beneficiary-deleted-pending', 'beneficiary-expired']));
    // A customer's grant to a third-party provider: revoked before its expiry, and expired on its timer.
    expect(histories.map((h) => h.workflowId)).toEqual(expect.arrayContaining(['tpp-consent-revoked', 'tpp-consent-expired']));
  });

  it('replays every recorded history against the current workflow code', async () => {
    const results = Worker.runReplayHistories(
      { workflowBundle: { codePath: testInfrastructure().workflowBundlePath }, dataConverter: dataConverterFor(FIXTURE_SECRETS) },
      histories,
    );
    const failures: string[] = [];
    let replayed = 0;
    for await (const result of results) {
      replayed += 1;
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
    expect(replayed).toBe(histories.length);
    // Some 75 histories, replayed one after another: ~40 s alone, more than the default 60 s beside a full parallel run.
  }, 180_000);
});
