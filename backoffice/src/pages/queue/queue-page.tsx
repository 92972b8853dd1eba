/**
 * The review queue (GET /admin/review-queue): filters, the table, and "Next page" / "Previous page" over the API's
 * keyset cursor. Claiming updates the row in place; a case claimed meanwhile by someone else reloads the page.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError, messageOf } from '../../api/client';
import { claimCase, loadQueue, releaseCase, type QueueFilters } from '../../api/cases';
import type { QueueItem, QueuePage as Page } from '../../api/types';
import { PageHeading } from '../../components/page-heading';
import { claimText } from '../../components/claim-state';
import { may, useSession } from '../../lib/session';
import { NO_FILTERS, QueueFilterForm } from './queue-filters';
import { itemKey, QueueTable } from './queue-table';

export function QueuePage() {
  const { session, announce } = useSession();
  const [filters, setFilters] = useState<QueueFilters>(NO_FILTERS);
  /** Cursors of the pages before this one (null: the first page), and this page's. */
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const [page, setPage] = useState<Page | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const cursor = cursors[cursors.length - 1];

  const reload = useCallback(async () => {
    try {
      setPage(await loadQueue(filters, cursor));
      setError(null);
    } catch (caught) {
      setError(messageOf(caught));
    }
  }, [filters, cursor]);

  useEffect(() => void reload(), [reload]);

  async function act(item: QueueItem, action: 'claim' | 'release') {
    setBusy(itemKey(item));
    try {
      if (action === 'claim') {
        const claim = await claimCase(item.caseType, item.subjectId);
        replace({ ...item, claim });
        announce(`${item.label}: ${claimText(claim)}`);
      } else {
        await releaseCase(item.caseType, item.subjectId);
        replace({ ...item, claim: null });
        announce(`${item.label}: claim released`);
      }
    } catch (caught) {
      announce(messageOf(caught));
      if (caught instanceof ApiError && (caught.status === 409 || caught.status === 404)) await reload();
    } finally {
      setBusy(null);
    }
  }

  function replace(updated: QueueItem) {
    setPage((current) => current && { ...current, data: current.data.map((item) => (itemKey(item) === itemKey(updated) ? updated : item)) });
  }

  return (
    <>
      <PageHeading>Review queue</PageHeading>
      <QueueFilterForm
        filters={filters}
        onApply={(next) => {
          setFilters(next);
          setCursors([null]);
        }}
      />
      {error && (
        <p role="alert" class="alert">
          {error}
        </p>
      )}
      {!page && !error && <p>Loading the queue…</p>}
      {page && (
        <>
          <QueueTable
            items={page.data}
            canClaim={may.decide(session.staff.roles)}
            busy={busy}
            onClaim={(item) => void act(item, 'claim')}
            onRelease={(item) => void act(item, 'release')}
          />
          <nav class="pagination" aria-label="Queue pages">
            {cursors.length > 1 && (
              <button type="button" onClick={() => setCursors(cursors.slice(0, -1))}>
                Previous page
              </button>
            )}
            {page.nextCursor && (
              <button type="button" onClick={() => setCursors([...cursors, page.nextCursor])}>
                Next page
              </button>
            )}
            <button type="button" onClick={() => void reload().then(() => announce('Queue refreshed'))}>
              Refresh
            </button>
          </nav>
        </>
      )}
    </>
  );
}
