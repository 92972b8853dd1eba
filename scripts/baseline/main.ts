/**
 * `npx tsx scripts/baseline/main.ts [--port 3100] [--temporal 127.0.0.1:7233]
 *   [--database-url postgres://postgres:postgres@127.0.0.1:5433/postgres] [--database bench_baseline]
 *   [--task-queue bench-baseline (journey: bench-baseline-journey)] [--namespace default] [--codec encrypted|none] [--pool-max 10]
 *   [--flow registration|journey] [--smtp-url smtp://127.0.0.1:1025]`
 *
 * The benchmark baseline: a minimal Temporal service answering the project's registration routes, on the same
 * Temporal server and PostgreSQL server as the stack it is compared to, so that each figure of the project can be
 * reported as a ratio to it from the same run (scripts/bench-vs-baseline.ts). One process, API and worker, like
 * `npm start`, with one Temporal Runtime:
 *
 *   POST /v2/customers/individual                        (seed 004: the whole profile, no password)
 *   POST /api/v2.1/customer/individual/registration      (name, e-mail, password)
 *     each with the project's own zod schema for it and its parser (400 VALIDATION_ERROR alike; routes.ts), then the
 *     same executeUpdateWithStart of `baselineRegistration` (workflow.ts): one local activity inserts the row, the
 *     update answers, the workflow parks; 201 with the route's own shape.
 *
 * With `--flow journey` it answers, instead, the whole onboarding the bench's journey drives (journey-routes.ts, on
 * the project's own paths): registration starts `baselineOnboarding` (journey-workflow.ts), whose updates, signal
 * and activities match one project onboarding's in number and kind; its e-mails go through `--smtp-url`.
 *
 * Deliberately absent: authentication, tenancy, captcha, password hashing, the reference-id and duplicate-e-mail
 * reads, the profile and tax-id storage, search attributes, e-mails, audit, metrics, tracing and load shedding. `--codec encrypted` (the default) keeps the
 * project's AES-GCM payload codec and failure converter, because encrypted payloads are a guarantee the project
 * must keep, so a floor without them would count as overhead what may not be cut; `--codec none` runs with the SDK's
 * default converter, to show what the codec itself costs.
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import express from 'express';
import { Client, Connection, WithStartWorkflowOperation } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { ApiError } from '../../api/http/errors';
import { EncryptionCodec } from '../../common/payload-codec';
import { FAILURE_CONVERTER_PATH } from '../../common/temporal';
import { parseFlags } from '../bench-support';
import { baselinePayloadKey, createBaselineActivities, openBaselineDatabase } from './activities';
import { BASELINE_WORKFLOW, registerUpdate } from './contract';
import { createJourneyActivities, createJourneyTables, standInKycProvider } from './journey-activities';
import { JOURNEY_PATHS, KYC_CALLBACK_PATH, mountJourneyRoutes } from './journey-routes';
import { BASELINE_ROUTES, type BaselineRoute } from './routes';
import { createSmtpMailer, type Mailer } from '../../activities/mailer';

function options(argv: string[]) {
  const flags = parseFlags(argv, ['--port', '--temporal', '--database-url', '--database', '--task-queue', '--namespace', '--codec', '--pool-max', '--flow', '--smtp-url']);
  const codec = flags.text('--codec', 'encrypted');
  if (codec !== 'encrypted' && codec !== 'none') throw new Error('--codec must be encrypted or none');
  const flow = flags.text('--flow', 'registration');
  if (flow !== 'registration' && flow !== 'journey') throw new Error('--flow must be registration or journey');
  return {
    port: flags.number('--port', 3100, 0, true),
    temporal: flags.text('--temporal', '127.0.0.1:7233'),
    databaseUrl: flags.text('--database-url', 'postgres://postgres:postgres@127.0.0.1:5433/postgres'),
    database: flags.text('--database', 'bench_baseline'),
    taskQueue: flags.text('--task-queue', flow === 'journey' ? 'bench-baseline-journey' : 'bench-baseline'),
    namespace: flags.text('--namespace', 'default'),
    codec: codec as 'encrypted' | 'none',
    poolMax: flags.number('--pool-max', 10, 1, true), // the project's DATABASE_POOL_MAX default
    flow: flow as 'registration' | 'journey',
    smtpUrl: flags.text('--smtp-url', 'smtp://127.0.0.1:1025'),
  };
}

async function main() {
  const opts = options(process.argv.slice(2));
  // The process's one Runtime, installed before any NativeConnection, as `npm start` does (without its exporter).
  Runtime.install({});
  const pool = await openBaselineDatabase(opts.databaseUrl, opts.database, opts.poolMax);
  const dataConverter: DataConverter =
    opts.codec === 'encrypted'
      ? { payloadCodecs: [new EncryptionCodec('baseline', { baseline: await baselinePayloadKey(pool) })], failureConverterPath: FAILURE_CONVERTER_PATH }
      : {};

  // The journey's stand-in KYC provider calls this process back once it listens (its port may be picked by the OS).
  let callbackUrl = '';
  let mailer: Mailer | undefined;
  if (opts.flow === 'journey') {
    await createJourneyTables(pool);
    mailer = createSmtpMailer(opts.smtpUrl, 'Baseline <baseline@onboarding.local>');
  }
  const workerConnection = await NativeConnection.connect({ address: opts.temporal });
  const worker = await Worker.create({
    connection: workerConnection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    // Each flow's workflow and activities only: the registration baseline stays what it was before the journey.
    workflowsPath: require.resolve(mailer ? './journey-workflow' : './workflow'),
    activities: mailer ? createJourneyActivities({ pool, mailer, provider: standInKycProvider(() => callbackUrl) }) : createBaselineActivities(pool),
    dataConverter,
  });
  // A worker that dies takes the process with it: a baseline answering without one would only time out.
  const workerDone = worker.run().catch((error: unknown) => {
    console.error('Baseline worker failed:', error);
    process.exit(1);
  });

  const clientConnection = await Connection.connect({ address: opts.temporal });
  const client = new Client({ connection: clientConnection, namespace: opts.namespace, dataConverter });

  const app = express();
  app.use(express.json({ limit: '100kb' }));
  const routes: BaselineRoute[] = opts.flow === 'registration' ? Object.values(BASELINE_ROUTES) : [];
  const paths = opts.flow === 'registration' ? routes.map((r) => r.path) : JOURNEY_PATHS;
  app.get('/health', (_req, res) => void res.json({ status: 'ok', codec: opts.codec, flow: opts.flow, routes: paths }));
  if (opts.flow === 'journey') mountJourneyRoutes(app, client, opts.taskQueue);
  for (const route of routes) app.post(route.path, async (req, res) => {
    try {
      const person = route.person(req.body ?? {});
      const customerId = `cust_${randomBytes(12).toString('hex')}`;
      const receipt = await client.workflow.executeUpdateWithStart(registerUpdate, {
        args: [{ customerId, ...person }],
        startWorkflowOperation: new WithStartWorkflowOperation(BASELINE_WORKFLOW, {
          workflowId: `baseline/${customerId}`,
          taskQueue: opts.taskQueue,
          workflowIdConflictPolicy: 'FAIL',
          args: [],
        }),
      });
      res.status(201).json(route.answer(customerId, person, receipt));
    } catch (error) {
      if (error instanceof ApiError) res.status(error.status).json(error.body());
      else {
        console.error(error);
        res.status(503).json({ error: 'SERVICE_UNAVAILABLE', message: 'Registration could not be completed' });
      }
    }
  });
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(opts.port, '127.0.0.1', () => resolve(listening));
  });
  const port = (server.address() as { port: number }).port;
  callbackUrl = `http://127.0.0.1:${port}${KYC_CALLBACK_PATH}`;
  console.log(`Baseline (${opts.flow}) listening on http://127.0.0.1:${port} ${paths.join(' ')} (pid ${process.pid}, Temporal ${opts.temporal}, task queue ${opts.taskQueue}, codec ${opts.codec})`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await new Promise((resolve) => server.close(resolve));
    // The SDK's Runtime shuts the worker down on SIGINT/SIGTERM by itself; this covers any other way here.
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await workerDone;
    await clientConnection.close();
    await workerConnection.close();
    mailer?.close();
    await pool.end();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stop().then(() => process.exit(0)));
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
