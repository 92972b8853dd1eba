/** Adding beneficiaries: the happy paths to ACTIVE, every validation 400, duplicates, and what is stored. */
import { Client, Connection } from '@temporalio/client';
import { fieldCipherFor } from '../../common/field-encryption';
import { BENEFICIARY_ACCOUNT_PURPOSE } from '../../api/beneficiaries';
import { createBeneficiaryBody } from '../../api/beneficiaries/schemas';
import { createBeneficiaryService } from '../../api/beneficiaries/service';
import { startHarness, type Harness } from '../support/harness';
import { activeCustomer, register } from '../support/journey';
import { beneficiariesOf, confirmationCode, confirmationEmails, GERMAN_IBAN, UK_ACCOUNT, US_ACCOUNT } from '../support/beneficiaries';
import { createTenant, type TenantSession } from '../support/tenant-client';

let h: Harness;
let tenant: TenantSession;
let customer: { customerId: string; email: string };
let base: string;

beforeAll(async () => {
  h = await startHarness('beneficiaries');
  tenant = await createTenant(h);
  customer = await activeCustomer(h, tenant);
  base = beneficiariesOf(customer.customerId);
});
afterAll(() => h?.close());

const ISO_TIME = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/);

describe('adding and confirming', () => {
  it('adds an IBAN beneficiary pending confirmation, mails a code naming the account masked, and the code makes it ACTIVE', async () => {
    const added = await tenant.call('POST', base, { ...GERMAN_IBAN, nickname: 'Landlord' });
    expect(added.status).toBe(202);
    const beneficiary = added.body.data;
    expect(beneficiary).toEqual({
      id: expect.stringMatching(/^ben_[0-9a-f]{24}$/),
      customer_id: customer.customerId,
      name: 'Hans Müller',
      nickname: 'Landlord',
      country: 'DEU',
      currency: 'EUR',
      bic: 'COBADEFFXXX',
      account_type: 'IBAN',
      account_masked: 'DE89 **** **** **** **30 00',
      routing_code: null,
      status: 'PENDING_CONFIRMATION',
      confirmation_channel: 'EMAIL',
      confirmation_expires_at: ISO_TIME,
      confirmed_at: null,
      created_at: ISO_TIME,
      updated_at: ISO_TIME,
    });
    expect(Date.parse(beneficiary.confirmation_expires_at) - Date.now()).toBeGreaterThan(14 * 60_000);

    const [mail] = await confirmationEmails(h, customer.email, 'DE89 **** **** **** **30 00');
    expect(mail!.text).toContain('Hans Müller');
    expect(mail!.text.replace(/\s/g, '')).not.toContain('370400440532013000');
    const confirmed = await tenant.call('POST', `${base}/${beneficiary.id}/confirmation`, { code: await confirmationCode(h, customer.email, 'DE89 **** **** **** **30 00') });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.data).toMatchObject({ id: beneficiary.id, status: 'ACTIVE', confirmed_at: ISO_TIME });
    expect((await tenant.call('GET', `${base}/${beneficiary.id}`)).body.data.status).toBe('ACTIVE');
    // A second confirmation finds nothing pending.
    const again = await tenant.call('POST', `${base}/${beneficiary.id}/confirmation`, { code: '000000' });
    expect([again.status, again.body.error]).toEqual([409, 'CONFLICT']);
  });

  it.each([
    ['US', US_ACCOUNT, '********6789'],
    ['GB', UK_ACCOUNT, '****6819'],
  ])('adds and confirms a %s account number with its routing code', async (_country, body, masked) => {
    const added = await tenant.call('POST', base, body);
    expect(added.status).toBe(202);
    expect(added.body.data).toMatchObject({ account_type: 'ACCOUNT_NUMBER', account_masked: masked, routing_code: body.routing_code.replace(/-/g, ''), bic: null });
    const confirmed = await tenant.call('POST', `${base}/${added.body.data.id}/confirmation`, { code: await confirmationCode(h, customer.email, masked) });
    expect([confirmed.status, confirmed.body.data.status]).toEqual([200, 'ACTIVE']);
  });

  it('stores the account sealed: the row holds the masked form and a fingerprint, never the number', async () => {
    const added = await tenant.call('POST', base, { ...GERMAN_IBAN, iban: 'NL91ABNA0417164300', country: 'NLD', bic: undefined });
    expect(added.status).toBe(202);
    const row = await h.db('beneficiaries').where({ tenant_id: tenant.tenantId, id: added.body.data.id }).first();
    expect(JSON.stringify(row)).not.toMatch(/0417164300/);
    expect(row.account_masked).toBe('NL91 **** **** **43 00');
    expect(row.fingerprint).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const opened = fieldCipherFor(h.secrets, BENEFICIARY_ACCOUNT_PURPOSE).decrypt(row.account_sealed, `${tenant.tenantId}:${customer.customerId}:${row.id}`);
    expect(JSON.parse(opened)).toEqual({ iban: 'NL91ABNA0417164300' });
  });
});

describe('validation', () => {
  it.each([
    ['a wrong IBAN checksum', { ...GERMAN_IBAN, iban: 'DE88370400440532013000' }, 'iban', /check digits/],
    ["an IBAN of another country than the beneficiary's", { ...GERMAN_IBAN, country: 'FRA' }, 'iban', /not FRA/],
    ['no IBAN for a country that uses them', { ...GERMAN_IBAN, iban: undefined, bic: undefined }, 'iban', /Required/],
    ['a wrong ABA routing check digit', { ...US_ACCOUNT, routing_code: '021000022' }, 'routing_code', /check digit/],
    ['a sort code that is not 6 digits', { ...UK_ACCOUNT, routing_code: '60-16-1' }, 'routing_code', /sort code must be 6 digits/],
    ['an invalid BIC', { ...GERMAN_IBAN, bic: 'COBA1EFF' }, 'bic', /valid BIC/],
    ["a BIC of another country than the IBAN's", { ...GERMAN_IBAN, bic: 'BNPAFRPP' }, 'bic', /match the IBAN/],
    ['an unknown currency', { ...GERMAN_IBAN, currency: 'EUX' }, 'currency', /Unknown ISO 4217/],
    ['a country without IBANs or a local rule', { ...US_ACCOUNT, country: 'JPN', currency: 'JPY' }, 'country', /not supported/],
    ['an unknown field', { ...GERMAN_IBAN, status: 'ACTIVE' }, 'status', /Unknown field/],
    ['SMS for a customer without a phone', { ...GERMAN_IBAN, iban: 'BE68539007547034', country: 'BEL', bic: undefined, confirmation_channel: 'SMS' }, 'confirmation_channel', /no phone/],
  ])('refuses %s with 400 naming the field', async (_case, body, field, message) => {
    const res = await tenant.call('POST', base, body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'VALIDATION_ERROR', message: expect.any(String) });
    expect(res.body.details).toEqual([{ field, message: expect.stringMatching(message) }]);
  });

  it('adds nothing for a refused request', async () => {
    await tenant.call('POST', base, { ...GERMAN_IBAN, iban: 'AT611904300234573202', country: 'AUT', bic: undefined });
    expect(await h.db('beneficiaries').where({ tenant_id: tenant.tenantId, account_masked: 'AT61 **** **** **** 3202' })).toEqual([]);
  });

  it('refuses a customer who is not ACTIVE with 409 INVALID_STATE', async () => {
    const pending = await register(tenant);
    const res = await tenant.call('POST', beneficiariesOf(pending.customerId), GERMAN_IBAN);
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ error: 'INVALID_STATE', message: expect.stringContaining('ACTIVE'), details: [{ field: 'status', message: 'PENDING_EMAIL_VERIFICATION' }] });
  });
});

describe('duplicates', () => {
  const SPANISH = { ...GERMAN_IBAN, country: 'ESP', iban: 'ES91 2100 0418 4502 0005 1332', bic: undefined };

  it('refuses the same account again with 409 naming the beneficiary that has it, written differently or not', async () => {
    const first = await tenant.call('POST', base, SPANISH);
    expect(first.status).toBe(202);
    const again = await tenant.call('POST', base, { ...SPANISH, name: 'Someone Else', iban: 'es9121000418450200051332' });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ error: 'CONFLICT', message: expect.stringContaining(first.body.data.id) });
  });

  it('knows a UK account given as IBAN is the one given by sort code and account number', async () => {
    const res = await tenant.call('POST', base, { ...UK_ACCOUNT, routing_code: undefined, account_number: undefined, iban: 'GB29 NWBK 6016 1331 9268 19' });
    expect(res.status).toBe(409);
  });

  it('answers two parallel requests for one account with one 202 and one 409, never a 500', async () => {
    const body = { ...US_ACCOUNT, account_number: '55501234' };
    const answers = await Promise.all([tenant.call('POST', base, body), tenant.call('POST', base, body)]);
    expect(answers.map((res) => res.status).sort()).toEqual([202, 409]);
    expect(await h.db('beneficiaries').where({ tenant_id: tenant.tenantId, account_masked: '****1234' })).toHaveLength(1);
  });

  it("allows the same account for another customer", async () => {
    const other = await activeCustomer(h, tenant);
    expect((await tenant.call('POST', beneficiariesOf(other.customerId), SPANISH)).status).toBe(202);
  });
});

describe('when Temporal cannot be reached', () => {
  it('answers 503 SERVICE_UNAVAILABLE and adds nothing: no row, the account stays free', async () => {
    // A real client to a Temporal frontend that is not there: the start fails as in an outage.
    const connection = await Connection.connect({ address: '127.0.0.1:1', connectTimeout: 200 }).catch(() => undefined);
    const unreachable = new Client({ connection: connection ?? Connection.lazy({ address: '127.0.0.1:1' }) });
    const service = createBeneficiaryService({
      db: h.db, temporal: unreachable, taskQueue: 'nowhere', callTimeoutMs: 500, confirmationTtlMinutes: 5,
      accountCipher: fieldCipherFor(h.secrets, BENEFICIARY_ACCOUNT_PURPOSE), codeHashKey: Buffer.alloc(32, 1),
    });
    const body = { ...US_ACCOUNT, account_number: '77705678' };
    await expect(service.create(tenant.tenantId, customer.customerId, createBeneficiaryBody.parse(body))).rejects.toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
    expect(await h.db('beneficiaries').where({ tenant_id: tenant.tenantId, account_masked: '****5678' }).whereNot({ status: 'DELETED' })).toEqual([]);
    expect((await tenant.call('POST', base, body)).status).toBe(202);
  });
});
