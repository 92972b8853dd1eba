/** The queue as a table: one row per case, oldest first, with "Claim" (compliance officers) and "Open case". */
import type { QueueItem } from '../../api/types';
import { CASE_TYPE_LABELS } from '../../api/cases';
import { ClaimState } from '../../components/claim-state';
import { formatDateTime, formatWait } from '../../lib/duration';
import { hrefOf } from '../../lib/router';

interface Props {
  items: QueueItem[];
  canClaim: boolean;
  busy: string | null;
  onClaim: (item: QueueItem) => void;
  onRelease: (item: QueueItem) => void;
}

export const itemKey = (item: QueueItem) => `${item.caseType}/${item.subjectId}`;

export function QueueTable({ items, canClaim, busy, onClaim, onRelease }: Props) {
  return (
    <div class="table-wrap">
      <table class="queue">
        <caption>Cases waiting on staff, oldest first</caption>
        <colgroup>
          {['type', 'label', 'tenant', 'reason', 'waiting', 'claim', 'actions'].map((column) => (
            <col key={column} class={column} />
          ))}
        </colgroup>
        <thead>
          <tr>
            <th scope="col">Type</th>
            <th scope="col">Label</th>
            <th scope="col">Tenant</th>
            <th scope="col">Reason</th>
            <th scope="col">Waiting for</th>
            <th scope="col">Claim</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {items.length === 0 && (
            <tr>
              <td colSpan={7}>No case waits on staff with these filters.</td>
            </tr>
          )}
          {items.map((item) => (
            <tr key={itemKey(item)}>
              <td>{CASE_TYPE_LABELS[item.caseType] ?? item.caseType}</td>
              <th scope="row">{breakable(item.label)}</th>
              <td>{item.tenantName ?? item.tenantId}</td>
              <td>{breakable(item.reason)}</td>
              <td>
                <time dateTime={item.waitingSince} title={formatDateTime(item.waitingSince)}>
                  {formatWait(item.waitingSeconds)}
                </time>
              </td>
              <td>
                <ClaimState claim={item.claim} proposal={item.proposal} />
              </td>
              <td>
                <div class="actions">
                  <a href={hrefOf.case(item.caseType, item.subjectId)}>Open case</a>
                  {canClaim && !item.claim?.mine && (
                    // Shown but disabled while another reviewer holds the case: it is there, and not to be taken.
                    <button type="button" disabled={busy === itemKey(item) || !!item.claim} onClick={() => onClaim(item)}>
                      Claim
                    </button>
                  )}
                  {canClaim && item.claim?.mine && (
                    <button type="button" disabled={busy === itemKey(item)} onClick={() => onRelease(item)}>
                      Release
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

/**
 * A code (`POSSIBLE_WATCHLIST_MATCH`, `CERTIFICATE_OF_INCORPORATION`) may break after each underscore rather than
 * anywhere in a word; anything else (an id such as `cust_…`, a name) is left to the cell's own wrapping.
 */
function breakable(text: string) {
  if (!/^[A-Z0-9]+(_[A-Z0-9]+)+$/.test(text)) return text;
  const parts = text.split('_');
  return parts.map((part, index) => (index < parts.length - 1 ? [part, '_', <wbr key={index} />] : part));
}
