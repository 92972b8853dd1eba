/** The provider checks behind the case: KYC, KYB and identity verification, with their reason codes. */
import type { CaseView } from '../../api/types';
import { formatDateTime, humanize } from '../../lib/duration';

export function FindingsSection({ findings }: { findings: CaseView['findings'] }) {
  return (
    <section aria-labelledby="findings-heading">
      <h2 id="findings-heading">Findings</h2>
      {findings.length === 0 ? (
        <p>No checks recorded.</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption>Checks by the providers, oldest first</caption>
            <thead>
              <tr>
                <th scope="col">Check</th>
                <th scope="col">Whose</th>
                <th scope="col">Provider</th>
                <th scope="col">Status</th>
                <th scope="col">Reasons</th>
                <th scope="col">Risk score</th>
                <th scope="col">Completed</th>
              </tr>
            </thead>
            <tbody>
              {findings.map((finding) => (
                <tr key={`${finding.source}-${finding.checkId}`}>
                  <th scope="row">{finding.source}</th>
                  <td>{finding.subjectName ?? 'The subject'}</td>
                  <td>{finding.provider ?? '—'}</td>
                  <td>{humanize(finding.status)}</td>
                  <td>{finding.reasons.length ? finding.reasons.join(', ') : 'None'}</td>
                  <td>{finding.riskScore ?? '—'}</td>
                  <td>{finding.completedAt ? formatDateTime(finding.completedAt) : 'Not yet'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
