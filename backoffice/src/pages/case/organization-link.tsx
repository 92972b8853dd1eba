/** A person's organization (PERSON cases): its legal name and status, and a link to its own case while that waits on staff. */
import type { CaseView } from '../../api/types';
import { humanize } from '../../lib/duration';
import { hrefOf } from '../../lib/router';

export function OrganizationLink({ organization }: { organization: NonNullable<CaseView['organization']> }) {
  return (
    <p class="case-meta">
      Organization <strong>{organization.legalName ?? organization.organizationId}</strong> ({humanize(organization.status)})
      {' · '}
      {organization.inReview ? (
        <a href={hrefOf.case('ORGANIZATION', organization.organizationId)}>Open the organization's case</a>
      ) : (
        'its own case is not waiting on staff'
      )}
    </p>
  );
}
