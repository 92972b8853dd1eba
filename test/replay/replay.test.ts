import { Worker } from '@temporalio/worker';
import { dataConverterFor } from '../../common/temporal';
import { testInfrastructure } from '../support/infrastructure';
import { FIXTURE_SECRETS, loadHistories } from './histories';

describe('workflow determinism', () => {
  const histories = loadHistories();

  it('has recorded histories to replay', () => {
    expect(histories.length).toBeGreaterThanOrEqual(2);
    // Executions from before each patch, the KYC path where the provider's polls fail, codes that never go out, and organizations.
    expect(histories.map((h) => h.workflowId)).toEqual(
      expect.arrayContaining([
        'v1-registered-then-expired', 'v2-registered-then-expired', 'v2-kyc-poll-failed-manual-review', 'v2-code-never-sent-then-expired',
        'org-full-lifecycle-active', 'org-rejected', 'org-registered-then-expired', 'org-duplicate-refused',
      ]),
    );
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
  });
});
