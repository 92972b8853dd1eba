/** The ops CLI's commands: each parses its options with the routes' schemas, calls the service, prints a table. */
import { writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import cliProgress from 'cli-progress';
import { z } from 'zod';
import { evidenceHtml, evidenceOf } from '../../api/operations/evidence';
import { duration } from '../../api/operations/schemas';
import type { Filter, OperationsService } from '../../api/operations/service';
import { tenantId as tenantIdSchema, subjectId } from '../../api/schemas/params';
import type { CliOptions } from './main';
import { humanDuration, table } from './table';

export class UsageError extends Error {}

export const USAGE = `Usage: npm run ops -- <command> [options]    (built image: node dist/scripts/ops/main.js <command> …)

  stuck   [--for 2h] [--step PENDING_KYC] [--tenant tnt_…]   running onboardings without progress for --for
  failed  [--tenant …] [--step …] [--activity-type …]         failed runs and activities retrying, with the last error
  waiting [--tenant …]                                         onboardings waiting on staff (MANUAL_REVIEW)
  timeline <customerId> [--tenant …]                           status history, workflow events, e-mails, checks
  reset <customerId> --reason "…" [--event-id N] [--dry-run]   reset to the last good point; says what runs again
  retry-activity <customerId> [--activity-id …] [--dry-run]    retry now the activities past their first attempt (or paused)
  pause-activity <customerId> --reason "…" [--activity-id …]   stop an activity's retries while its cause is fixed
  skip-activity <customerId> --activity-id … [--dry-run]       complete a skippable activity (customer notices only)
  batch retry|reset [--filter tenant=…,step=…,activity-type=…] [--dry-run] [--reason "…"]
  export <customerId> [--format json|html] [--out file]        compliance timeline as evidence (default: stdout)

Common: --limit N (default 200), --json (machine-readable output).`;

type Command = (operations: OperationsService, args: string[], options: CliOptions) => Promise<void>;

/** Parses with a schema the routes use too; a bad value is a usage error naming the option. */
function valid<T extends z.ZodType>(schema: T, value: unknown, option: string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new UsageError(`${option}: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

const customerArg = (args: string[]) => valid(subjectId, args[0], '<customerId>');
const tenantOf = (options: CliOptions) => (options.tenant === undefined ? undefined : valid(tenantIdSchema, options.tenant, '--tenant'));
const actor = () => {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli:unknown';
  }
};

function filterOf(options: CliOptions): Filter {
  const pairs = Object.fromEntries((options.filter ?? '').split(',').filter(Boolean).map((pair) => pair.split('=').map((part) => part.trim())));
  const unknown = Object.keys(pairs).filter((key) => !['tenant', 'step', 'activity-type'].includes(key));
  if (unknown.length) throw new UsageError(`--filter: unknown key ${unknown.join(', ')} (use tenant, step, activity-type)`);
  return {
    tenantId: tenantOf({ ...options, tenant: pairs.tenant ?? options.tenant }),
    step: pairs.step ?? options.step,
    activityType: pairs['activity-type'] ?? options['activity-type'],
    limit: options.limit === undefined ? undefined : valid(z.coerce.number().int().min(1).max(1000), options.limit, '--limit'),
  };
}

const print = (options: CliOptions, data: unknown, text: () => string) => console.log(options.json ? JSON.stringify(data, null, 2) : text());

export const COMMANDS: Record<string, Command> = {
  async stuck(operations, _args, options) {
    const forMs = valid(duration, options.for ?? '2h', '--for');
    const rows = await operations.stuck(forMs, filterOf(options));
    print(options, rows, () =>
      table(
        ['customer', 'tenant', 'type', 'status', 'due', 'no progress for', 'since'],
        rows.map((r) => [r.customerId, r.tenantId, r.customerType, r.onboardingStatus, r.dueRequirement, humanDuration(r.stuckForMs), r.lastProgressAt]),
      ),
    );
  },

  async failed(operations, _args, options) {
    const rows = await operations.failed(filterOf(options));
    print(options, rows, () =>
      table(
        ['customer', 'tenant', 'what', 'workflow', 'activity', 'attempt', 'next attempt', 'last error'],
        rows.map((r) =>
          r.kind === 'WORKFLOW_FAILED'
            ? [r.execution.customerId, r.execution.tenantId, `run ${r.execution.status}`, r.execution.workflowId, '', '', '', '']
            : [r.execution.customerId, r.execution.tenantId, r.activity.paused ? 'activity paused' : 'activity retrying', r.execution.workflowId, r.activity.activityType, r.activity.attempt, r.activity.nextAttemptAt, r.activity.lastFailure],
        ),
      ),
    );
  },

  async waiting(operations, _args, options) {
    const rows = await operations.waiting(filterOf(options));
    print(options, rows, () => table(['customer', 'tenant', 'type', 'status', 'waiting for'], rows.map((r) => [r.customerId, r.tenantId, r.customerType, r.onboardingStatus ?? r.kybStatus, humanDuration(r.stuckForMs)])));
  },

  async timeline(operations, args, options) {
    const timeline = await operations.timeline(customerArg(args), tenantOf(options));
    const { customer } = timeline;
    print(options, timeline, () =>
      [
        `${customer.customerId} (${customer.customerType}) of ${customer.tenantId}: ${customer.status}`,
        '',
        table(['time', 'source', 'event', 'detail'], timeline.entries.map((e) => [e.at, e.source, e.event, e.detail])),
      ].join('\n'),
    );
  },

  async reset(operations, args, options) {
    const reason = options.reason ?? (options['dry-run'] ? 'dry run' : undefined);
    if (!reason || reason.trim().length < 3) throw new UsageError('--reason: say why (it is kept on the new run)');
    const eventId = options['event-id'] === undefined ? undefined : valid(z.coerce.number().int().min(1), options['event-id'], '--event-id');
    const outcome = await operations.reset(customerArg(args), { tenantId: tenantOf(options), dryRun: Boolean(options['dry-run']), reason, actor: actor(), eventId });
    print(options, outcome, () =>
      [
        `${outcome.dryRun ? 'Would reset' : 'Reset'} ${outcome.workflowId} (run ${outcome.runId}) to event ${outcome.resetEventId}: ${outcome.basis}.`,
        `Runs again: ${outcome.activitiesRunAgain.join(', ') || 'no activity'}.`,
        `Signals applied again: ${outcome.signalsReapplied.join(', ') || 'none'}.`,
        outcome.newRunId ? `New run: ${outcome.newRunId}.` : 'Nothing changed (dry run).',
      ].join('\n'),
    );
  },

  async 'retry-activity'(operations, args, options) {
    const dryRun = Boolean(options['dry-run']);
    const retried = await operations.retryActivity(customerArg(args), { tenantId: tenantOf(options), activityId: options['activity-id'], dryRun });
    print(options, retried, () =>
      retried.length === 0
        ? 'No activity past its first attempt: nothing to retry.'
        : `${dryRun ? 'Would retry now' : 'Retrying now'}:\n${table(['workflow', 'activity', 'id', 'attempt', 'last error'], retried.map((a) => [a.workflowId, a.activityType, a.activityId, a.attempt, a.lastFailure]))}`,
    );
  },

  async 'pause-activity'(operations, args, options) {
    if (!options.reason || options.reason.trim().length < 3) throw new UsageError('--reason: say why (Temporal keeps it on the activity)');
    const paused = await operations.pauseActivity(customerArg(args), { tenantId: tenantOf(options), activityId: options['activity-id'], reason: options.reason, actor: actor() });
    print(options, paused, () =>
      paused.length === 0 ? 'No activity to pause.' : `Paused (until retry-activity):\n${table(['workflow', 'activity', 'id', 'attempt'], paused.map((a) => [a.workflowId, a.activityType, a.activityId, a.attempt]))}`,
    );
  },

  async 'skip-activity'(operations, args, options) {
    if (!options['activity-id']) throw new UsageError('--activity-id: required (see `failed` or `timeline`)');
    const dryRun = Boolean(options['dry-run']);
    const skipped = await operations.skipActivity(customerArg(args), { tenantId: tenantOf(options), activityId: options['activity-id'], dryRun });
    print(options, skipped, () => `${dryRun ? 'Would skip' : 'Skipped'} ${skipped.activityType} (${skipped.activityId}) in ${skipped.workflowId}.`);
  },

  async batch(operations, args, options) {
    const action = valid(z.enum(['retry', 'reset']), args[0], 'batch <retry|reset>');
    const dryRun = Boolean(options['dry-run']);
    const bar = new cliProgress.SingleBar({ format: `${action} [{bar}] {value}/{total}`, stream: process.stderr }, cliProgress.Presets.shades_classic);
    let started = false;
    const results = await operations.batch(action, filterOf(options), {
      dryRun,
      reason: options.reason ?? `batch ${action} from the ops CLI`,
      actor: actor(),
      onProgress: (done, total) => (started ? bar.update(done) : (bar.start(total, done), (started = true))),
    });
    if (started) bar.stop();
    print(options, results, () => `${dryRun ? 'Dry run: nothing changed.\n' : ''}${table(['customer', 'workflow', 'outcome'], results.map((r) => [r.customerId, r.workflowId, r.outcome]))}`);
  },

  async export(operations, args, options) {
    const format = valid(z.enum(['json', 'html']), options.format ?? 'json', '--format');
    const evidence = evidenceOf(await operations.timeline(customerArg(args), tenantOf(options)), actor());
    const document = format === 'html' ? evidenceHtml(evidence) : `${JSON.stringify(evidence, null, 2)}\n`;
    if (options.out) {
      writeFileSync(options.out, document);
      console.error(`Wrote ${options.out}`);
    } else process.stdout.write(document);
  },
};
