import { loggableError } from '../../api/http/errors';

describe('what an unexpected error puts in the log', () => {
  it('keeps the kind, code and message of a driver error but not the row values it quotes', () => {
    const driverError = Object.assign(new Error('insert into "customers" - duplicate key value violates unique constraint'), {
      code: '23505',
      constraint: 'customers_tenant_email_unique',
      detail: 'Key (tenant_id, lower(email))=(tnt_1, maria.garcia@example.com) already exists.',
      where: 'SQL statement with maria.garcia@example.com',
      parameters: ['maria.garcia@example.com', 'Maria'],
    });
    const logged = loggableError(driverError);
    expect(logged).toMatchObject({ type: 'Error', errorCode: '23505', constraint: 'customers_tenant_email_unique' });
    expect(JSON.stringify(logged)).not.toContain('maria.garcia@example.com');
    expect(JSON.stringify(logged)).not.toContain('Maria');
  });

  it('logs only the kind of a thrown non-error', () => {
    expect(loggableError('secret string')).toEqual({ type: 'string' });
  });
});
