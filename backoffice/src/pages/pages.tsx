/** The page for a route, or why there is none; "/backoffice/" opens the first page the roles allow. */
import { useEffect } from 'preact/hooks';
import type { StaffRole } from '../api/types';
import { PageHeading } from '../components/page-heading';
import { hrefOf, navigate, type Route } from '../lib/router';
import { may } from '../lib/session';
import { CasePage } from './case/case-page';
import { OperationsPage } from './operations/operations-page';
import { QueuePage } from './queue/queue-page';

export function Pages({ route, roles }: { route: Route; roles: readonly StaffRole[] }) {
  const home = may.readCases(roles) ? hrefOf.queue() : may.operate(roles) ? hrefOf.operations() : null;
  useEffect(() => {
    if (route.page === 'home' && home) navigate(home, { replace: true });
  }, [route.page, home]);

  switch (route.page) {
    case 'home':
      return home ? null : <Refused what="any page of the back office" />;
    case 'queue':
      return may.readCases(roles) ? <QueuePage /> : <Refused what="the review queue" />;
    case 'case':
      return may.readCases(roles) ? <CasePage caseType={route.caseType} subjectId={route.subjectId} /> : <Refused what="cases" />;
    case 'operations':
      return may.operate(roles) ? <OperationsPage /> : <Refused what="operations" />;
    default:
      return (
        <>
          <PageHeading>Page not found</PageHeading>
          <p>
            There is no such page. <a href={hrefOf.queue()}>Go to the review queue</a>.
          </p>
        </>
      );
  }
}

function Refused({ what }: { what: string }) {
  return (
    <>
      <PageHeading>Not available</PageHeading>
      <p>Your roles do not give access to {what}. Ask a platform administrator if you need it.</p>
    </>
  );
}
