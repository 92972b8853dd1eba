import { canonicalJson, chain, firstBreak, GENESIS_HASH, rowHash, type AuditEntry } from '../../api/audit/chain';
import { changesOf } from '../../api/audit/changes';

const entry = (n: number): AuditEntry => ({
  occurredAt: new Date(Date.UTC(2026, 10, 27, 12, 0, n)),
  actorType: 'tenant',
  actorId: 'oauth:cli_1',
  action: 'POST /api/v2.1/customer/individual/registration',
  targetType: 'customer',
  targetId: `cust_${String(n).padStart(24, '0')}`,
  tenantId: 'tnt_1',
  requestId: `req-${n}-abcdefgh`,
  ip: '127.0.0.1',
  status: 201,
  changes: { fields: ['email', 'firstName'], values: {} },
});

describe('the audit chain', () => {
  it('links each row to the one before, from the genesis hash, with ids that follow on', () => {
    const rows = chain(undefined, [entry(1), entry(2), entry(3)]);
    expect(rows.map((r) => r.id)).toEqual([1, 2, 3]);
    expect(rows[0].prevHash).toBe(GENESIS_HASH);
    expect(rows[1].prevHash).toBe(rows[0].hash);
    expect(rows[2].prevHash).toBe(rows[1].hash);
    const more = chain(rows[2], [entry(4)]);
    expect(more[0]).toMatchObject({ id: 4, prevHash: rows[2].hash });
    expect(firstBreak(undefined, [...rows, ...more])).toBeUndefined();
  });

  it('serializes objects with sorted keys, so a re-ordered jsonb value hashes the same', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}');
    const [row] = chain(undefined, [entry(1)]);
    const reordered = { ...row, changes: { values: {}, fields: ['email', 'firstName'] } };
    expect(rowHash(reordered)).toBe(row.hash);
  });

  it('names an edited row by its own hash, a re-hashed edit by the next row\'s link, and removed rows by the gap', () => {
    const rows = chain(undefined, [entry(1), entry(2), entry(3), entry(4)]);
    expect(firstBreak(undefined, rows.map((r) => (r.id === 2 ? { ...r, status: 200 } : r)))).toMatchObject({ id: 2, problem: 'hash' });

    const forged = { ...rows[1], status: 200 };
    const rehashed = { ...forged, hash: rowHash(forged) };
    expect(firstBreak(undefined, [rows[0], rehashed, rows[2], rows[3]])).toMatchObject({ id: 3, problem: 'link' });

    expect(firstBreak(undefined, [rows[0], rows[2], rows[3]])).toMatchObject({ id: 3, problem: 'missing' });
    expect(firstBreak(undefined, rows.slice(1))).toMatchObject({ id: 2, problem: 'missing' });
  });
});

describe('what an audit row keeps of a body', () => {
  it('keeps field names and enumeration values, never names, e-mails, passwords, codes or free text', () => {
    const body = {
      firstName: 'Zephyrine',
      lastName: 'Quillfeather',
      email: 'zephyrine@example.com',
      password: 'SecurePassword123!',
      code: '123456',
      decision: 'APPROVE',
      reason: 'Looks FINE to me',
      reviewer: 'officer@platform.example',
      status: 'zephyrine@example.com',
      roles: ['AUDITOR', 'OPERATOR'],
      address: { line1: '1 Main St', country: 'GB' },
      persons: [{ role: 'DIRECTOR', firstName: 'Ada' }],
    };
    const changes = changesOf(body);
    expect(changes.fields).toEqual([
      'address', 'address.country', 'address.line1', 'code', 'decision', 'email', 'firstName', 'lastName', 'password', 'persons',
      'persons[].firstName', 'persons[].role', 'reason', 'reviewer', 'roles', 'status',
    ]);
    expect(changes.values).toEqual({ decision: 'APPROVE', roles: ['AUDITOR', 'OPERATOR'], 'persons[].role': 'DIRECTOR' });
    const stored = JSON.stringify(changes);
    for (const secret of ['Zephyrine', 'Quillfeather', 'example.com', 'Secure', '123456', 'FINE', 'officer', 'Main', 'Ada']) {
      expect(stored).not.toContain(secret);
    }
  });

  it('records nothing of a body that is not an object, and skips keys that are not field names', () => {
    expect(changesOf(undefined)).toEqual({ fields: [], values: {} });
    expect(changesOf('zephyrine@example.com')).toEqual({ fields: [], values: {} });
    expect(changesOf({ 'zephyrine@example.com': true, ok: 1 })).toEqual({ fields: ['ok'], values: {} });
  });
});
