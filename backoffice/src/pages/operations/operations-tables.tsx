/** The operators' two tables: onboardings without progress, and failed runs or retrying activities. */
import type { FailedOnboarding, StuckOnboarding } from '../../api/types';
import { formatDateTime, formatWait, humanize } from '../../lib/duration';

/**
 * The step in words ("Pending email verification · Email verification"): the codes are single long words that
 * would widen the table past a laptop's screen and push its actions out of sight.
 */
const stepOf = (execution: { onboardingStatus?: string; dueRequirement?: string; kybStatus?: string }) =>
  [execution.onboardingStatus, execution.dueRequirement, execution.kybStatus && `KYB ${execution.kybStatus}`]
    .filter((part): part is string => Boolean(part))
    .map(humanize)
    .join(' · ') || '—';

/**
 * The customer with its tenant beneath, in one column: both are long single words, and two such columns would
 * widen the tables past a laptop's screen and push their actions out of sight.
 */
function CustomerCell({ customerId, workflowId, tenantId }: { customerId?: string; workflowId: string; tenantId?: string }) {
  return (
    <th scope="row">
      {customerId ?? workflowId}
      <div class="muted">Tenant {tenantId ?? '—'}</div>
    </th>
  );
}

export function StuckTable({ rows, onReset }: { rows: StuckOnboarding[]; onReset: (customerId: string) => void }) {
  return (
    <div class="table-wrap">
      <table>
        <caption>Stuck onboardings, longest stuck first</caption>
        <thead>
          <tr>
            <th scope="col">Customer and tenant</th>
            <th scope="col">Workflow</th>
            <th scope="col">Step</th>
            <th scope="col">No progress for</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr>
              <td colSpan={5}>No onboarding is stuck that long.</td>
            </tr>
          )}
          {rows.map((row) => (
            <tr key={row.workflowId}>
              <CustomerCell customerId={row.customerId} workflowId={row.workflowId} tenantId={row.tenantId} />
              <td>{row.type}</td>
              <td>{stepOf(row)}</td>
              <td>
                <time dateTime={row.lastProgressAt} title={formatDateTime(row.lastProgressAt)}>
                  {formatWait(row.stuckForMs / 1000)}
                </time>
              </td>
              <td>
                <div class="actions">
                  {row.customerId && (
                    <button type="button" onClick={() => onReset(row.customerId!)}>
                      Reset
                    </button>
                  )}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function FailedTable({ rows, onReset, onRetry }: { rows: FailedOnboarding[]; onReset: (customerId: string) => void; onRetry: (row: FailedOnboarding) => void }) {
  return (
    <div class="table-wrap">
      <table>
        <caption>Failed onboardings and activities retrying</caption>
        <thead>
          <tr>
            <th scope="col">Customer and tenant</th>
            <th scope="col">What failed</th>
            <th scope="col">Activity</th>
            <th scope="col">Last failure</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr>
              <td colSpan={5}>Nothing has failed.</td>
            </tr>
          )}
          {rows.map((row) => (
            <tr key={`${row.execution.workflowId}-${row.activity?.activityId ?? 'run'}`}>
              <CustomerCell {...row.execution} />
              <td>
                {row.kind === 'WORKFLOW_FAILED' ? `${row.execution.type} ${humanize(row.execution.status).toLowerCase()}` : `${row.execution.type}: activity retrying`}
              </td>
              <td>
                {row.activity ? `${row.activity.activityType} (attempt ${row.activity.attempt}${row.activity.maximumAttempts ? ` of ${row.activity.maximumAttempts}` : ''}${row.activity.paused ? ', paused' : ''})` : '—'}
              </td>
              <td class="failure">{row.activity?.lastFailure ?? (row.execution.closedAt ? `Closed ${formatDateTime(row.execution.closedAt)}` : '—')}</td>
              <td>
                <div class="actions">
                  {row.kind === 'ACTIVITY_RETRYING' && row.activity && row.execution.customerId && (
                    <button type="button" onClick={() => onRetry(row)}>
                      Retry
                    </button>
                  )}
                  {row.execution.customerId && (
                    <button type="button" onClick={() => onReset(row.execution.customerId!)}>
                      Reset
                    </button>
                  )}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
