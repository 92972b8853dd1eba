/** The case page as staff call it in tests: a case by role, a document's inline content, and reading its fields. */
import { randomBytes } from 'node:crypto';
import type { StaffRole } from '../../common/access';
import type { Harness } from './harness';
import { staffSession } from './staff';

/** Calls for the shared staff sessions of the harness `current()` answers (set in beforeAll). */
export function caseClient(current: () => Harness) {
  const session = (...roles: StaffRole[]) => staffSession(current(), roles);
  return {
    session,
    caseOf: async (roles: StaffRole[], caseType: string, subjectId: string) =>
      (await session(...roles)).call('GET', `/api/v2.1/admin/cases/${caseType}/${subjectId}`),
    async content(roles: StaffRole[], path: string) {
      const response = await fetch(`${current().api.url}${path}`, { headers: (await session(...roles)).headers });
      return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
    },
  };
}

type Fields = { fields: Array<{ name: string; value: string | null; masked: boolean }> };

/** The fields of a case's subject (or of a person in its ownership) by name. */
export const fieldsOf = (of: { subject: Fields } | Fields) =>
  Object.fromEntries(('subject' in of ? of.subject : of).fields.map((field) => [field.name, { value: field.value, masked: field.masked }]));

/** Timeline entries are oldest first. */
export function expectOrdered(timeline: Array<{ at: string }>): void {
  const times = timeline.map((entry) => Date.parse(entry.at));
  expect(times).toEqual([...times].sort((a, b) => a - b));
}

/** The headers the inline content route sets to keep a document inert in the browser. */
export const SECURITY_HEADERS = ['content-type', 'content-disposition', 'x-content-type-options', 'cache-control', 'cross-origin-resource-policy', 'content-security-policy', 'repr-digest'];

/** A WebP by its signature: allowed as a document, but not one the viewer shows inline. */
export const webpFile = () => Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x20, 0, 0, 0]), Buffer.from('WEBPVP8 '), randomBytes(24)]);
