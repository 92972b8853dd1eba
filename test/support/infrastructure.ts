import { readFileSync } from 'node:fs';

/** What global setup started, handed to each test file. */
export interface TestInfrastructure {
  temporalAddress: string;
  /** A database URL on the test server; test files create their own databases beside it. */
  serverUrl: string;
  smtpUrl: string;
  inboxUrl: string;
  workflowBundlePath: string;
  /** The time-skipping test server binary, for tests of long timers. */
  timeSkippingServerPath: string;
}

export function testInfrastructure(): TestInfrastructure {
  const file = process.env.ONBOARDING_TEST_INFRASTRUCTURE;
  if (!file) throw new Error('Run tests through jest: its global setup starts the infrastructure.');
  return JSON.parse(readFileSync(file, 'utf8')) as TestInfrastructure;
}
