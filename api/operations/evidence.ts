/**
 * One customer's compliance timeline as evidence: a JSON document, or a self-contained HTML page that prints
 * cleanly (no scripts, no external resources). Ids, statuses, templates and reasons only: no names or addresses.
 */
import type { Timeline } from './service';

export interface Evidence {
  exportedAt: string;
  exportedBy: string;
  customer: { tenantId: string; customerId: string; customerType: string; status: string; createdAt: string };
  workflows: { workflowId: string; runId: string; type: string; status: string; startedAt: string; closedAt: string | null }[];
  entries: { at: string; source: string; event: string; detail: string }[];
}

export function evidenceOf(timeline: Timeline, exportedBy: string, now = new Date()): Evidence {
  const { customer } = timeline;
  return {
    exportedAt: now.toISOString(),
    exportedBy,
    customer: { tenantId: customer.tenantId, customerId: customer.customerId, customerType: customer.customerType, status: customer.status, createdAt: customer.createdAt.toISOString() },
    workflows: timeline.workflows.map((w) => ({ workflowId: w.workflowId, runId: w.runId, type: w.type, status: w.status, startedAt: w.startedAt.toISOString(), closedAt: w.closedAt?.toISOString() ?? null })),
    entries: timeline.entries.map((e) => ({ at: e.at.toISOString(), source: e.source, event: e.event, detail: e.detail })),
  };
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function evidenceHtml(evidence: Evidence): string {
  const { customer } = evidence;
  const rows = evidence.entries
    .map((e) => `<tr><td>${escape(e.at)}</td><td>${escape(e.source)}</td><td>${escape(e.event)}</td><td>${escape(e.detail)}</td></tr>`)
    .join('\n');
  const runs = evidence.workflows
    .map((w) => `<tr><td>${escape(w.workflowId)}</td><td>${escape(w.type)}</td><td>${escape(w.status)}</td><td>${escape(w.startedAt)}</td><td>${escape(w.closedAt ?? '')}</td></tr>`)
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Compliance timeline ${escape(customer.customerId)}</title>
<style>
body{font:12px/1.4 system-ui,sans-serif;margin:2em}table{border-collapse:collapse;width:100%;margin-bottom:2em}
th,td{border:1px solid #999;padding:3px 6px;text-align:left;vertical-align:top}th{background:#eee}
@media print{body{margin:0}tr{page-break-inside:avoid}}
</style></head><body>
<h1>Compliance timeline</h1>
<p>Customer <b>${escape(customer.customerId)}</b> (${escape(customer.customerType)}) of tenant <b>${escape(customer.tenantId)}</b>,
created ${escape(customer.createdAt)}, status <b>${escape(customer.status)}</b>.<br>
Exported ${escape(evidence.exportedAt)} by ${escape(evidence.exportedBy)}.</p>
<h2>Workflows</h2>
<table><thead><tr><th>Workflow</th><th>Type</th><th>Status</th><th>Started</th><th>Closed</th></tr></thead><tbody>
${runs}
</tbody></table>
<h2>Events</h2>
<table><thead><tr><th>Time (UTC)</th><th>Source</th><th>Event</th><th>Detail</th></tr></thead><tbody>
${rows}
</tbody></table>
</body></html>
`;
}
