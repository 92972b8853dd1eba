/**
 * How a subject's field reads on the case page. "hidden" means the API masked it for this role (`masked: true`,
 * no value); a masked value that is shown (a tax id's last characters) is "partly hidden"; a field that is not
 * masked and has no value was never given. Nothing else reads "hidden".
 */
export interface FieldFacts {
  value: string | null;
  masked: boolean;
}

export type FieldReading = { kind: 'hidden' | 'not-given' | 'partly-hidden' | 'value'; text: string };

export function readField(field: FieldFacts): FieldReading {
  if (field.masked) return field.value === null ? { kind: 'hidden', text: 'hidden' } : { kind: 'partly-hidden', text: `${field.value} (partly hidden)` };
  if (field.value === null || field.value === '') return { kind: 'not-given', text: 'not given' };
  return { kind: 'value', text: field.value };
}
