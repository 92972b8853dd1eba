import { Writable } from 'node:stream';
import { createLogger } from '../../common/logger';

const PII = {
  email: 'maria.garcia@example.com',
  phone: '+14155552671',
  firstName: 'Mariagrace',
  lastName: 'Garcialonga',
  first_name_en: 'Mariagrace-en',
  last_name_en: 'Garcialonga-en',
  middle_name: 'Elenamaria',
  dob: '1990-04-15',
  dateOfBirth: '1991-05-16',
  address: { line1: '123 Market Street', city: 'San Francisco' },
  street_line_1: '456 Mission Street',
  tax_info: [{ document_type: 'SSN', document_id: '123-45-6789' }],
  document_id: '987-65-4321',
  password: 'correct horse battery staple',
  passwordHash: '$argon2id$v=19$hash',
  code: '493817',
  token: 'eyJhbGciOi.secret.token',
  authorization: 'Bearer pat_secret',
};

function logged(entry: object): string {
  const lines: string[] = [];
  const sink = new Writable({ write: (chunk, _encoding, done) => { lines.push(chunk.toString()); done(); } });
  createLogger('info', 'test', sink).info(entry, 'something happened');
  return lines.join('');
}

describe('log redaction', () => {
  it.each([
    ['at the top level', PII],
    ['one object deep', { customer: PII }],
    ['three objects deep', { req: { body: { basic_info: PII } } }],
  ])('keeps personal data and secrets out of a log line %s', (_where, entry) => {
    const line = logged(entry);
    expect(line).toContain('something happened');
    expect(line).toContain('[redacted]');
    for (const value of ['maria.garcia', '4155552671', 'Mariagrace', 'Garcialonga', 'Elenamaria', '1990-04-15', '1991-05-16',
      'Market Street', 'San Francisco', 'Mission Street', '123-45-6789', '987-65-4321', 'horse battery', 'argon2id', '493817',
      'secret.token', 'pat_secret']) {
      expect(line).not.toContain(value);
    }
  });

  it('keeps what an operator needs: ids, statuses, the logger name', () => {
    const line = JSON.parse(logged({ customerId: 'cust_1', status: 'ACTIVE' }));
    expect(line).toMatchObject({ name: 'test', customerId: 'cust_1', status: 'ACTIVE' });
  });
});
