/** The subject's data as the API decoded it for this reviewer; a field the role may not read says "hidden". */
import type { CaseView } from '../../api/types';
import { readField } from '../../components/field-value';

export function SubjectSection({ subject }: { subject: CaseView['subject'] }) {
  return (
    <section aria-labelledby="subject-heading">
      <h2 id="subject-heading">Subject</h2>
      {subject.fields.length === 0 ? <p>No data recorded.</p> : <FieldList fields={subject.fields} />}
    </section>
  );
}

type Field = CaseView['subject']['fields'][number];

/** Fields as a definition list: label, then the value, "hidden" or "not given". */
export function FieldList({ fields }: { fields: Field[] }) {
  return (
    <dl class="fields">
      {fields.map((field) => (
        <div key={field.name} class="field-row">
          <dt>{field.label}</dt>
          <dd>{valueOf(field)}</dd>
        </div>
      ))}
    </dl>
  );
}

function valueOf(field: Field) {
  const reading = readField(field);
  if (reading.kind === 'value') return reading.text;
  return <span class={reading.kind === 'not-given' ? 'muted' : 'masked'}>{reading.text}</span>;
}
