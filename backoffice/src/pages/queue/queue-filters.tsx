/** The queue's filters as a labelled form; applied on submit (the first page of the filtered queue). */
import { useState } from 'preact/hooks';
import type { QueueFilters } from '../../api/cases';

export const NO_FILTERS: QueueFilters = { claimed: 'any' };

export function QueueFilterForm({ filters, onApply }: { filters: QueueFilters; onApply: (filters: QueueFilters) => void }) {
  const [draft, setDraft] = useState<QueueFilters>(filters);
  const set = (name: keyof QueueFilters) => (event: Event) =>
    setDraft({ ...draft, [name]: (event.currentTarget as HTMLInputElement | HTMLSelectElement).value });

  return (
    <form
      class="filters"
      aria-label="Queue filters"
      onSubmit={(event) => {
        event.preventDefault();
        onApply(draft);
      }}
    >
      <div class="field">
        <label for="filter-tenant">Tenant</label>
        <input id="filter-tenant" name="tenantId" value={draft.tenantId ?? ''} placeholder="tenant id" onInput={set('tenantId')} />
      </div>
      <div class="field">
        <label for="filter-type">Type</label>
        <select id="filter-type" name="caseType" value={draft.caseType ?? ''} onChange={set('caseType')}>
          <option value="">Any type</option>
          <option value="INDIVIDUAL">Individual</option>
          <option value="ORGANIZATION">Organization</option>
          <option value="DOCUMENT">Document</option>
          <option value="PERSON">Person of an organization</option>
        </select>
      </div>
      <div class="field">
        <label for="filter-reason">Reason</label>
        <input id="filter-reason" name="reason" value={draft.reason ?? ''} placeholder="e.g. DOCUMENT_UPLOADED" onInput={set('reason')} />
      </div>
      <div class="field">
        <label for="filter-wait">Minimum wait (minutes)</label>
        <input id="filter-wait" name="minWaitingMinutes" type="number" min={0} step={1} value={draft.minWaitingMinutes ?? ''} onInput={set('minWaitingMinutes')} />
      </div>
      <div class="field">
        <label for="filter-claimed">Claimed</label>
        <select id="filter-claimed" name="claimed" value={draft.claimed} onChange={set('claimed')}>
          <option value="any">Any</option>
          <option value="mine">Claimed by me</option>
          <option value="unclaimed">Unclaimed</option>
        </select>
      </div>
      <div class="filter-buttons">
        <button type="submit" class="primary">
          Apply filters
        </button>
        <button
          type="button"
          onClick={() => {
            setDraft(NO_FILTERS);
            onApply(NO_FILTERS);
          }}
        >
          Clear filters
        </button>
      </div>
    </form>
  );
}
