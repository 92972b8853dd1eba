/** The case's history, oldest first: statuses, decisions, documents, checks, claims and proposals. */
import type { CaseView } from '../../api/types';
import { formatDateTime, humanize } from '../../lib/duration';

export function TimelineSection({ timeline }: { timeline: CaseView['timeline'] }) {
  return (
    <section aria-labelledby="timeline-heading">
      <h2 id="timeline-heading">Timeline</h2>
      {timeline.length === 0 ? (
        <p>Nothing recorded yet.</p>
      ) : (
        <ol class="timeline">
          {timeline.map((entry, index) => (
            <li key={`${entry.at}-${index}`}>
              <time dateTime={entry.at}>{formatDateTime(entry.at)}</time> <span class="kind">{humanize(entry.kind)}</span> {entry.label}
              {entry.actor && <> · by {entry.actor}</>}
              {entry.reason && <> · “{entry.reason}”</>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
