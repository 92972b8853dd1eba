/**
 * What an onboarding costs the Temporal server, read from its histories the way an operator could: events,
 * workflow tasks and activities of the onboarding's workflow and every child it started (recursively), so the
 * per-step cost of a flow can be compared between flows and versions independently of the machine's speed.
 * Payloads are never decoded: only event types are counted.
 */
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { onboardingWorkflowId } from '../common/onboarding-contract';

const { EventType } = temporal.api.enums.v1;

export interface HistoryCost {
  workflows: number;
  events: number;
  workflowTasks: number;
  activities: number;
}

const ZERO: HistoryCost = { workflows: 0, events: 0, workflowTasks: 0, activities: 0 };
const add = (a: HistoryCost, b: HistoryCost): HistoryCost => ({
  workflows: a.workflows + b.workflows,
  events: a.events + b.events,
  workflowTasks: a.workflowTasks + b.workflowTasks,
  activities: a.activities + b.activities,
});

async function costOf(client: Client, workflowId: string, runId?: string): Promise<HistoryCost> {
  const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  const events = history.events ?? [];
  let own: HistoryCost = { workflows: 1, events: events.length, workflowTasks: 0, activities: 0 };
  const children: Array<{ workflowId: string; runId?: string }> = [];
  for (const event of events) {
    if (event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) own = { ...own, workflowTasks: own.workflowTasks + 1 };
    if (event.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) own = { ...own, activities: own.activities + 1 };
    const child = event.childWorkflowExecutionStartedEventAttributes?.workflowExecution;
    if (child?.workflowId) children.push({ workflowId: child.workflowId, runId: child.runId ?? undefined });
  }
  let total = own;
  for (const child of children) total = add(total, await costOf(client, child.workflowId, child.runId));
  return total;
}

/** The mean cost per onboarding over `customerIds` (their workflow and its children), or undefined if none. */
export function meanHistoryCost(address: string, namespace: string, tenantId: string, customerIds: string[]) {
  return meanWorkflowCost(address, namespace, customerIds.map((id) => onboardingWorkflowId(tenantId, id)));
}

/** The mean cost over `workflowIds` (each with its children), or undefined if none. */
export async function meanWorkflowCost(address: string, namespace: string, workflowIds: string[]): Promise<(HistoryCost & { sampled: number }) | undefined> {
  if (workflowIds.length === 0) return undefined;
  const connection = await Connection.connect({ address });
  try {
    const client = new Client({ connection, namespace });
    let total = ZERO;
    for (const id of workflowIds) total = add(total, await costOf(client, id));
    const n = workflowIds.length;
    return { workflows: total.workflows / n, events: total.events / n, workflowTasks: total.workflowTasks / n, activities: total.activities / n, sampled: n };
  } finally {
    await connection.close();
  }
}

export function formatCost(cost: (HistoryCost & { sampled: number }) | undefined): string {
  if (!cost) return 'no completed onboarding to read';
  return `${cost.events.toFixed(1)} events, ${cost.workflowTasks.toFixed(1)} workflow tasks, ${cost.activities.toFixed(1)} activities in ${cost.workflows.toFixed(1)} workflow(s) per onboarding (mean of ${cost.sampled})`;
}
