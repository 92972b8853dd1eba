/**
 * One case (GET /admin/cases/{caseType}/{subjectId}): the heading, the review actions, then the subject, findings,
 * ownership (organizations), documents and timeline, each a section with its heading, and the workflow in the
 * Temporal UI. A reload after an action keeps the page on screen (no flash, focus stays where it was).
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { messageOf } from '../../api/client';
import { CASE_TYPE_LABELS, loadCase } from '../../api/cases';
import type { CaseView } from '../../api/types';
import { PageHeading } from '../../components/page-heading';
import { humanize } from '../../lib/duration';
import { hrefOf } from '../../lib/router';
import { may, useSession } from '../../lib/session';
import { CaseActions } from './case-actions';
import { DocumentsSection } from './documents-section';
import { FindingsSection } from './findings-section';
import { OrganizationLink } from './organization-link';
import { OwnershipSection } from './ownership-section';
import { SubjectSection } from './subject-section';
import { TimelineSection } from './timeline-section';

export function CasePage({ caseType, subjectId }: { caseType: string; subjectId: string }) {
  const { session } = useSession();
  const [view, setView] = useState<CaseView | null>(null);
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(async () => {
    try {
      setView(await loadCase(caseType, subjectId));
      setError(null);
    } catch (caught) {
      setError(messageOf(caught));
    }
  }, [caseType, subjectId]);

  useEffect(() => {
    setView(null);
    void reload();
  }, [reload]);

  const title = `${CASE_TYPE_LABELS[caseType] ?? caseType} ${subjectId}`;
  if (!view) {
    return (
      <>
        <PageHeading>{title}</PageHeading>
        {error ? (
          <p role="alert" class="alert">
            {error} <a href={hrefOf.queue()}>Back to the review queue</a>
          </p>
        ) : (
          <p>Loading the case…</p>
        )}
      </>
    );
  }

  const name = view.subject.fields.find((field) => /^(legalName|name|fullName)$/.test(field.name) && field.value)?.value ?? view.subjectId;
  return (
    <article class="case">
      <PageHeading>{title}</PageHeading>
      <p class="case-meta">
        Status <strong>{humanize(view.status)}</strong> ({view.status}) · Tenant {view.tenant.name ?? view.tenant.id}
        {view.temporal && (
          <>
            {' · '}
            <a href={view.temporal.url} target="_blank" rel="noopener">
              Open in Temporal UI
            </a>
          </>
        )}
      </p>
      {view.organization && <OrganizationLink organization={view.organization} />}
      {error && (
        <p role="alert" class="alert">
          {error}
        </p>
      )}
      <CaseActions view={view} canDecide={may.decide(session.staff.roles)} reload={reload} />
      <SubjectSection subject={view.subject} />
      <FindingsSection findings={view.findings} />
      {view.ownership && <OwnershipSection ownership={view.ownership} organizationName={name} />}
      <DocumentsSection documents={view.documents} underReview={view.caseType === 'DOCUMENT' ? view.subjectId : null}
        showContent={may.viewDocuments(session.staff.roles)}
      />
      <TimelineSection timeline={view.timeline} />
    </article>
  );
}
