/** For an organization: who owns it, through which companies, who the UBOs are and how far each person is verified. */
import type { Ownership } from '../../api/types';
import { humanize } from '../../lib/duration';
import { buildOwnershipTree, formatPercent, type OwnerNode } from '../../lib/ownership';
import { FieldList } from './subject-section';

export function OwnershipSection({ ownership, organizationName }: { ownership: Ownership; organizationName: string }) {
  const tree = buildOwnershipTree(ownership);
  return (
    <section aria-labelledby="ownership-heading">
      <h2 id="ownership-heading">Ownership</h2>
      <p>
        Ultimate beneficial owners hold at least {formatPercent(ownership.thresholdPercent)}, directly or through companies; they are marked{' '}
        <strong class="ubo-badge">UBO</strong>.
      </p>
      <ul class="tree" aria-label={`Owners of ${organizationName}`}>
        <li>
          <span class="node company">{organizationName}</span>
          {tree.owners.length === 0 ? <p class="muted">No holdings recorded.</p> : <Owners nodes={tree.owners} />}
        </li>
      </ul>
      {tree.otherPeople.length > 0 && (
        <p>
          Holding nothing:{' '}
          {tree.otherPeople.map((person) => `${person.name} (${person.roles.map(humanize).join(', ') || 'no role'}, verification ${humanize(person.verificationStatus)})`).join('; ')}.
        </p>
      )}
      {ownership.people.length > 0 && (
        <>
          <h3>People of the organization</h3>
          <ul class="people">
            {ownership.people.map((person) => (
              <li key={person.personId}>
                <details>
                  <summary>
                    {person.name} · {person.roles.map(humanize).join(', ') || 'no role'} · verification {humanize(person.verificationStatus)}
                  </summary>
                  {person.fields?.length ? <FieldList fields={person.fields} /> : <p class="muted">No data recorded.</p>}
                </details>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function Owners({ nodes }: { nodes: OwnerNode[] }) {
  return (
    <ul>
      {nodes.map((node) => (
        <li key={node.id} class={node.uboPercent !== null ? 'ubo' : undefined}>
          <span class={`node ${node.kind === 'COMPANY' ? 'company' : 'person'}`}>
            {node.name} holds {formatPercent(node.percent)}
            {node.kind === 'COMPANY' && ' (company)'}
            {node.uboPercent !== null && (
              <>
                {' '}
                <strong class="ubo-badge">UBO</strong> effective {formatPercent(node.uboPercent)}
              </>
            )}
            {node.kind === 'PERSON' && <> · verification {node.verificationStatus ? humanize(node.verificationStatus) : 'not started'}</>}
            {node.roles.length > 0 && <> · {node.roles.map(humanize).join(', ')}</>}
          </span>
          {node.children.length > 0 && <Owners nodes={node.children} />}
        </li>
      ))}
    </ul>
  );
}
