/**
 * Starts the real infrastructure once per test run, resolved like `npm start` (TEMPORAL_ADDRESS, DATABASE_URL,
 * SMTP_URL are used when set), but on free ports and throw-away state, so a running dev stack is untouched.
 * Bundles the workflows once; each test file then runs its own worker, task queue and database.
 */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { TRACING_WORKFLOW_MODULE } from '../../worker/tracing';
import { loadConfig } from '../../common/config';
import { FAILURE_CONVERTER_PATH } from '../../common/temporal';
import { startStack } from '../../devstack/stack';
import { resolveTimeSkippingServer } from '../../devstack/temporal';
import { buildBackofficeIfStale } from './backoffice-build';
import { freePort } from './ports';
import type { TestInfrastructure } from './infrastructure';

export default async function globalSetup(): Promise<void> {
  // Before the stack starts: a failed build stops the run with esbuild's message, not a browser test's 404.
  await buildBackofficeIfStale();
  const config = loadConfig();
  // Under the OS temp dir: the embedded server may run as the postgres user, which must reach its data dir.
  const dir = mkdtempSync(join(tmpdir(), 'onboarding-test-'));
  chmodSync(dir, 0o755);
  const [stack, bundle] = await Promise.all([
    startStack({
      dataDir: dir,
      persistent: false,
      database: 'onboarding_test',
      temporalAddress: config.TEMPORAL_ADDRESS,
      temporalCliPath: config.TEMPORAL_CLI_PATH,
      databaseUrl: config.DATABASE_URL,
      smtpUrl: config.SMTP_URL,
      ports: { temporal: await freePort(), postgres: await freePort(), smtp: await freePort(), mailWeb: await freePort() },
    }),
    // As the worker bundles them (worker/worker.ts): the workflows and the tracing interceptors every worker runs.
    bundleWorkflowCode({
      workflowsPath: require.resolve('../../workflows'),
      workflowInterceptorModules: [TRACING_WORKFLOW_MODULE],
      failureConverterPath: FAILURE_CONVERTER_PATH,
      logger: silentLogger,
    }),
  ]);
  (globalThis as { __stack?: typeof stack }).__stack = stack;
  if (!stack.inboxUrl) {
    await stack.stop();
    throw new Error('Tests read e-mails from MailDev: leave SMTP_URL unset so the test run starts its own.');
  }
  const bundlePath = join(dir, 'workflow-bundle.js');
  writeFileSync(bundlePath, bundle.code);
  const infrastructure: TestInfrastructure = {
    temporalAddress: stack.temporalAddress,
    serverUrl: stack.serverUrl,
    smtpUrl: stack.smtpUrl,
    inboxUrl: stack.inboxUrl,
    workflowBundlePath: bundlePath,
    timeSkippingServerPath: resolveTimeSkippingServer(),
  };
  const stateFile = join(dir, 'infrastructure.json');
  writeFileSync(stateFile, JSON.stringify(infrastructure));
  process.env.ONBOARDING_TEST_INFRASTRUCTURE = stateFile;
}

const silentLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};
