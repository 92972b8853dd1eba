/**
 * Operations (OPERATOR, PLATFORM_ADMIN): stuck and failed onboardings. "Retry" retries a retrying activity now;
 * "Reset" first asks the API for the reset's dry run and shows in the confirmation what will run again, then
 * resets to exactly that point.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { messageOf } from '../../api/client';
import { loadFailed, loadStuck, planReset, reset, retryActivity } from '../../api/operations';
import type { FailedOnboarding, ResetPlan, StuckOnboarding } from '../../api/types';
import { ConfirmDialog } from '../../components/dialog';
import { PageHeading } from '../../components/page-heading';
import { useSession } from '../../lib/session';
import { FailedTable, StuckTable } from './operations-tables';

type Pending = { kind: 'reset'; customerId: string; plan: ResetPlan } | { kind: 'retry'; row: FailedOnboarding };

export function OperationsPage() {
  const { announce } = useSession();
  const [stuckFor, setStuckFor] = useState('2h');
  const [applied, setApplied] = useState('2h');
  const [stuck, setStuck] = useState<StuckOnboarding[] | null>(null);
  const [failed, setFailed] = useState<FailedOnboarding[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);

  const reload = useCallback(async () => {
    try {
      const [stuckRows, failedRows] = await Promise.all([loadStuck(applied), loadFailed()]);
      setStuck(stuckRows);
      setFailed(failedRows);
      setError(null);
    } catch (caught) {
      setError(messageOf(caught));
    }
  }, [applied]);

  useEffect(() => void reload(), [reload]);

  async function askReset(customerId: string) {
    try {
      setPending({ kind: 'reset', customerId, plan: await planReset(customerId) });
    } catch (caught) {
      announce(`Reset of ${customerId} not possible: ${messageOf(caught)}`);
    }
  }

  async function confirm(reason: string) {
    if (!pending) return;
    if (pending.kind === 'reset') {
      const done = await reset(pending.customerId, reason, pending.plan.resetEventId);
      announce(`Reset ${pending.customerId}: new run ${done.newRunId ?? ''} from event ${done.resetEventId}; running again: ${done.activitiesRunAgain.join(', ') || 'no activity'}`);
    } else {
      const { execution, activity } = pending.row;
      const retried = await retryActivity(execution.customerId!, activity!.activityId);
      announce(`Retried ${retried.map((a) => a.activityType).join(', ') || activity!.activityType} of ${execution.customerId}`);
    }
    await reload();
  }

  return (
    <>
      <PageHeading>Operations</PageHeading>
      {error && (
        <p role="alert" class="alert">
          {error}
        </p>
      )}
      <section aria-labelledby="stuck-heading">
        <h2 id="stuck-heading">Stuck onboardings</h2>
        <form
          class="filters"
          aria-label="Stuck filter"
          onSubmit={(event) => {
            event.preventDefault();
            setApplied(stuckFor.trim() || '2h');
          }}
        >
          <div class="field">
            <label for="stuck-for">Without progress for at least</label>
            <input id="stuck-for" value={stuckFor} aria-describedby="stuck-for-hint" onInput={(event) => setStuckFor(event.currentTarget.value)} />
            <p id="stuck-for-hint" class="hint">
              A number and a unit: s, m, h or d (e.g. 2h).
            </p>
          </div>
          <div class="filter-buttons">
            <button type="submit" class="primary">
              Show stuck onboardings
            </button>
          </div>
        </form>
        {stuck ? <StuckTable rows={stuck} onReset={(id) => void askReset(id)} /> : !error && <p>Loading…</p>}
      </section>
      <section aria-labelledby="failed-heading">
        <h2 id="failed-heading">Failed onboardings</h2>
        {failed ? <FailedTable rows={failed} onReset={(id) => void askReset(id)} onRetry={(row) => setPending({ kind: 'retry', row })} /> : !error && <p>Loading…</p>}
      </section>
      {pending?.kind === 'reset' && (
        <ConfirmDialog title={`Reset the onboarding of ${pending.customerId}`} onConfirm={confirm} onClose={() => setPending(null)}>
          <ResetPlanText plan={pending.plan} />
        </ConfirmDialog>
      )}
      {pending?.kind === 'retry' && (
        <ConfirmDialog title={`Retry ${pending.row.activity!.activityType} now`} withReason={false} onConfirm={confirm} onClose={() => setPending(null)}>
          <p>
            The activity of {pending.row.execution.customerId} runs again at once, its attempts counted from 1 again (now at attempt {pending.row.activity!.attempt}).
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}

function ResetPlanText({ plan }: { plan: ResetPlan }) {
  return (
    <>
      <p>
        The run {plan.runId} of {plan.workflowId} goes back to event {plan.resetEventId} ({plan.basis}); a new run continues from there.
      </p>
      <p>Will run again:</p>
      <ul>
        {plan.activitiesRunAgain.length ? plan.activitiesRunAgain.map((name, index) => <li key={`${index}-${name}`}>{name}</li>) : <li>No activity</li>}
      </ul>
      {plan.signalsReapplied.length > 0 && <p>Signals applied again: {plan.signalsReapplied.join(', ')}.</p>}
    </>
  );
}
