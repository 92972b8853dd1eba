/** The time-skipping test server (long waits in seconds of real time), with the search attribute workflows upsert. */
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { OnboardingStatusKey } from '../../common/search-attributes';
import { testInfrastructure } from './infrastructure';

export async function startTimeSkippingEnvironment(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: testInfrastructure().timeSkippingServerPath } },
  });
  // The workflow mirrors its status in this search attribute; the test server refuses undefined ones.
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: { [OnboardingStatusKey.name]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD },
  });
  return env;
}
