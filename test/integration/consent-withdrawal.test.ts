/**
 * Withdrawing consents: MARKETING at any time (marketing preferences off, with a history row), a required consent
 * refused while onboarding and afterwards given the effect the tenant configured (REFUSE, SUSPEND, CLOSE) through
 * the status history and its webhook event. The consent row is always kept, and can be given again.
 */
import { expectValidationError } from '../support/expectations';
import { startHarness, type Harness } from '../support/harness';
import { login, PASSWORD } from '../support/customer-session';
import { activeCustomer, readyForKyc, register, tenantWithSettings } from '../support/journey';
import { createOrganization } from '../support/organizations';
import { createTenant, type TenantSession } from '../support/tenant-client';

let h: Harness;
let tenant: TenantSession;

beforeAll(async () => {
  h = await startHarness('consent_withdrawal');
  tenant = await createTenant(h);
});
afterAll(() => h?.close());

const withdraw = (t: Pick<TenantSession, 'call'>, customerId: string, type: string, body: unknown = {}) =>
  t.call('POST', `/api/v2.1/customer/${customerId}/consents/${type}/withdrawal`, body);
const consentRows = (customerId: string, type: string) =>
  h.db('consents').where({ customer_id: customerId, type }).orderBy('id').select('version', 'withdrawn_at', 'withdrawn_by', 'withdrawal_reason');
const customerRow = (customerId: string) => h.db('customers').where({ id: customerId }).first('status', 'marketing_consent');
const lastStatusRow = (customerId: string) =>
  h.db('customer_status_history').where({ customer_id: customerId }).orderBy('id', 'desc').first('status', 'reason', 'actor');
const statusEvents = (customerId: string) =>
  h.db('webhook_events').where({ subject_id: customerId, type: 'customer.status_changed' }).orderBy('seq').pluck('data');

describe('withdrawing MARKETING', () => {
  it('works during onboarding, from the customer session: marketing preferences off with a history row, the record kept', async () => {
    const customer = await register(tenant, { password: PASSWORD, marketingConsent: true, phone: '+14155552671' });
    const session = await login(h, tenant.tenantId, customer.email);
    const prefs = `/v2/customer/${customer.customerId}/preferences`;
    expect((await tenant.call('PUT', prefs, { marketing: { sms: true } })).status).toBe(200);

    const res = await withdraw(session, customer.customerId, 'MARKETING', { reason: 'Too many e-mails' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      type: 'MARKETING',
      version: 'registration',
      acceptedAt: expect.any(String),
      withdrawnAt: expect.any(String),
      withdrawnBy: `customer:${customer.customerId}`,
      withdrawalReason: 'Too many e-mails',
      customerStatus: 'PENDING_EMAIL_VERIFICATION',
    });
    expect(await customerRow(customer.customerId)).toEqual({ status: 'PENDING_EMAIL_VERIFICATION', marketing_consent: false });
    expect((await tenant.call('GET', prefs)).body.data.marketing).toEqual({ email: false, sms: false, phone: false });
    const history = (await tenant.call('GET', `${prefs}/history`)).body.data;
    expect(history[0]).toEqual({
      changes: [
        { field: 'marketing.email', from: true, to: false },
        { field: 'marketing.sms', from: true, to: false },
      ],
      actor: { type: 'customer', id: customer.customerId },
      reason: 'CONSENT_WITHDRAWN:MARKETING',
      changed_at: expect.any(String),
    });

    // GET …/consents shows it withdrawn, and withdrawing again finds nothing in force.
    const listed = await tenant.call('GET', `${customer.path}/consents`);
    expect(listed.body.data).toEqual([expect.objectContaining({ type: 'MARKETING', withdrawnAt: res.body.withdrawnAt, withdrawalReason: 'Too many e-mails' })]);
    const again = await withdraw(tenant, customer.customerId, 'MARKETING');
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ error: 'CONFLICT', message: 'No MARKETING consent is in force: there is nothing to withdraw' });
    expect(await consentRows(customer.customerId, 'MARKETING')).toHaveLength(1);
  });

  it('is given again during onboarding through the workflow, beside the withdrawn row', async () => {
    const customer = await register(tenant);
    const give = () => tenant.call('POST', `${customer.path}/consents/MARKETING`, { accepted: true, version: 'm-1' });
    expect((await give()).status).toBe(201);
    expect((await customerRow(customer.customerId)).marketing_consent).toBe(true);
    expect((await withdraw(tenant, customer.customerId, 'MARKETING')).body).toMatchObject({ version: 'm-1', customerStatus: 'PENDING_EMAIL_VERIFICATION' });
    const again = await give();
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ status: 'PENDING_EMAIL_VERIFICATION', due: ['EMAIL_VERIFICATION', expect.any(String), expect.any(String), expect.any(String)] });
    expect(await consentRows(customer.customerId, 'MARKETING')).toEqual([
      expect.objectContaining({ version: 'm-1', withdrawn_at: expect.any(Date) }),
      expect.objectContaining({ version: 'm-1', withdrawn_at: null }),
    ]);
    expect((await customerRow(customer.customerId)).marketing_consent).toBe(true);
  });

  it('answers 409 CONFLICT for a consent never given, and records nothing', async () => {
    const customer = await register(tenant);
    const res = await withdraw(tenant, customer.customerId, 'MARKETING');
    expect(res.status).toBe(409);
    expect(res.body.error).toBe('CONFLICT');
    expect(await consentRows(customer.customerId, 'MARKETING')).toEqual([]);
    expect(await h.db('customer_preference_changes').where({ customer_id: customer.customerId })).toEqual([]);
  });

  it('is given again by an active customer through the consents route, and marketing can then be turned on', async () => {
    const customer = await activeCustomer(h, tenant);
    const given = await tenant.call('POST', `${customer.path}/consents/MARKETING`, { accepted: true, version: '2026-02' });
    expect(given.status).toBe(201);
    expect(given.body).toEqual({
      customerId: customer.customerId,
      status: 'ACTIVE',
      due: [],
      consents: ['TERMS_AND_CONDITIONS', 'PRIVACY_POLICY', 'DATA_PROCESSING', 'MARKETING'],
    });
    expect((await customerRow(customer.customerId)).marketing_consent).toBe(true);
    const prefs = `/v2/customer/${customer.customerId}/preferences`;
    expect((await tenant.call('PUT', prefs, { marketing: { email: true } })).body.data.marketing.email).toBe(true);

    expect((await withdraw(tenant, customer.customerId, 'MARKETING')).status).toBe(200);
    expect((await customerRow(customer.customerId)).status).toBe('ACTIVE');
    expect((await tenant.call('PUT', prefs, { marketing: { email: true } })).status).toBe(409);
    // The same version accepted again: a new row beside the withdrawn one.
    expect((await tenant.call('POST', `${customer.path}/consents/MARKETING`, { accepted: true, version: '2026-02' })).status).toBe(201);
    expect(await consentRows(customer.customerId, 'MARKETING')).toEqual([
      expect.objectContaining({ version: '2026-02', withdrawn_at: expect.any(Date), withdrawn_by: `tenant:oauth:${tenant.clientId}` }),
      expect.objectContaining({ version: '2026-02', withdrawn_at: null, withdrawn_by: null }),
    ]);
  }, 60_000);
});

describe('withdrawing a required consent', () => {
  it('is refused while onboarding: 409 INVALID_STATE, the consent stays in force', async () => {
    const customer = await readyForKyc(h, tenant);
    const res = await withdraw(tenant, customer.customerId, 'PRIVACY_POLICY');
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ error: 'INVALID_STATE', message: expect.stringContaining('onboarding still needs'), details: [{ field: 'status', message: 'PENDING_KYC' }] });
    expect(await consentRows(customer.customerId, 'PRIVACY_POLICY')).toEqual([expect.objectContaining({ withdrawn_at: null })]);
  }, 30_000);

  it('suspends an active customer by default, in the status history with its actor and a webhook event; re-accepting keeps both rows', async () => {
    const customer = await activeCustomer(h, tenant);
    const res = await withdraw(tenant, customer.customerId, 'PRIVACY_POLICY', { reason: 'Customer request' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ type: 'PRIVACY_POLICY', version: '2026-01', withdrawnBy: `tenant:oauth:${tenant.clientId}`, customerStatus: 'SUSPENDED' });
    expect((await customerRow(customer.customerId)).status).toBe('SUSPENDED');
    expect(await lastStatusRow(customer.customerId)).toEqual({ status: 'SUSPENDED', reason: 'CONSENT_WITHDRAWN:PRIVACY_POLICY', actor: `tenant:oauth:${tenant.clientId}` });
    expect((await statusEvents(customer.customerId)).at(-1)).toMatchObject({ status: 'SUSPENDED', previousStatus: 'ACTIVE' });

    const again = await tenant.call('POST', `${customer.path}/consents/PRIVACY_POLICY`, { accepted: true, version: '2026-01' });
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ status: 'SUSPENDED', consents: expect.arrayContaining(['PRIVACY_POLICY']) });
    const listed = (await tenant.call('GET', `${customer.path}/consents`)).body.data.filter((c: any) => c.type === 'PRIVACY_POLICY');
    expect(listed).toEqual([
      expect.objectContaining({ version: '2026-01', withdrawnAt: null }),
      expect.objectContaining({ version: '2026-01', withdrawnAt: res.body.withdrawnAt, withdrawalReason: 'Customer request' }),
    ]);
    // Reactivating stays the tenant's decision.
    expect((await customerRow(customer.customerId)).status).toBe('SUSPENDED');
  }, 60_000);

  it('closes the customer under requiredConsentWithdrawal CLOSE', async () => {
    const closing = await tenantWithSettings(h, { requiredConsentWithdrawal: 'CLOSE' });
    const customer = await activeCustomer(h, closing);
    const res = await withdraw(closing, customer.customerId, 'TERMS_AND_CONDITIONS');
    expect(res.status).toBe(200);
    expect(res.body.customerStatus).toBe('CLOSED');
    expect(await lastStatusRow(customer.customerId)).toEqual({ status: 'CLOSED', reason: 'CONSENT_WITHDRAWN:TERMS_AND_CONDITIONS', actor: `tenant:oauth:${closing.clientId}` });
    expect((await statusEvents(customer.customerId)).at(-1)).toMatchObject({ status: 'CLOSED', previousStatus: 'ACTIVE' });
  }, 60_000);

  it('is refused under requiredConsentWithdrawal REFUSE, naming the setting, and records nothing', async () => {
    const refusing = await tenantWithSettings(h, { requiredConsentWithdrawal: 'REFUSE' });
    const customer = await activeCustomer(h, refusing);
    const historyBefore = await lastStatusRow(customer.customerId);
    const res = await withdraw(refusing, customer.customerId, 'DATA_PROCESSING');
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ error: 'CONFLICT', message: expect.stringContaining('requiredConsentWithdrawal setting is REFUSE') });
    expect(await consentRows(customer.customerId, 'DATA_PROCESSING')).toEqual([expect.objectContaining({ withdrawn_at: null })]);
    expect(await customerRow(customer.customerId)).toMatchObject({ status: 'ACTIVE' });
    expect(await lastStatusRow(customer.customerId)).toEqual(historyBefore);
    // MARKETING is never a required consent's case: withdrawable under REFUSE too (given here first).
    expect((await refusing.call('POST', `${customer.path}/consents/MARKETING`, { accepted: true, version: 'v1' })).status).toBe(201);
    expect((await withdraw(refusing, customer.customerId, 'MARKETING')).status).toBe(200);
  }, 60_000);
});

describe('one transaction', () => {
  it('leaves the consent in force when its effect cannot be written', async () => {
    const customer = await activeCustomer(h, tenant);
    // The status history refuses this customer's next row: the withdrawal must not stand without its suspension.
    await h.db.raw(`create function refuse_status_row() returns trigger language plpgsql as $$ begin raise exception 'refused for the test'; end $$`);
    await h.db.raw(`create trigger refuse_status_row before insert on customer_status_history for each row when (new.customer_id = '${customer.customerId}') execute function refuse_status_row()`);
    try {
      const res = await withdraw(tenant, customer.customerId, 'PRIVACY_POLICY');
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ error: 'INTERNAL_ERROR', message: expect.any(String) });
    } finally {
      await h.db.raw('drop trigger refuse_status_row on customer_status_history');
      await h.db.raw('drop function refuse_status_row()');
    }
    expect(await consentRows(customer.customerId, 'PRIVACY_POLICY')).toEqual([expect.objectContaining({ withdrawn_at: null })]);
    expect((await customerRow(customer.customerId)).status).toBe('ACTIVE');
  }, 60_000);
});

describe('an organization', () => {
  it('gives and withdraws consents after activation the same way: a required one suspends it', async () => {
    const organization = await createOrganization(h, tenant.tenantId, 'ACTIVE');
    const given = await tenant.call('POST', `${organization.path}/consents/PRIVACY_POLICY`, { accepted: true, version: '2026-01' });
    expect(given.status).toBe(201);
    expect(given.body).toEqual({ customerId: organization.organizationId, status: 'ACTIVE', due: [], consents: ['PRIVACY_POLICY'] });
    const res = await withdraw(tenant, organization.organizationId, 'PRIVACY_POLICY');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ type: 'PRIVACY_POLICY', customerStatus: 'SUSPENDED' });
    expect(await lastStatusRow(organization.organizationId)).toMatchObject({ status: 'SUSPENDED', reason: 'CONSENT_WITHDRAWN:PRIVACY_POLICY' });
  });
});

describe('refusals', () => {
  it("answers 404 for another tenant's customer and for another customer's session; 400 for a bad type or body", async () => {
    const other = await createTenant(h, 'Other Bank');
    const customer = await register(tenant, { marketingConsent: true });
    const neighbour = await register(tenant, { password: PASSWORD });
    const neighbourSession = await login(h, tenant.tenantId, neighbour.email);
    for (const res of [await withdraw(other, customer.customerId, 'MARKETING'), await withdraw(neighbourSession, customer.customerId, 'MARKETING')]) {
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: 'NOT_FOUND', message: expect.any(String) });
    }
    expect((await customerRow(customer.customerId)).marketing_consent).toBe(true);
    expectValidationError(await withdraw(tenant, customer.customerId, 'NEWSLETTER'), 'type');
    expectValidationError(await withdraw(tenant, customer.customerId, 'MARKETING', { reason: 42 }), 'reason');
    expectValidationError(await withdraw(tenant, customer.customerId, 'MARKETING', { actor: 'someone' }), 'actor');
    expectValidationError(await withdraw(tenant, customer.customerId, 'MARKETING', { reason: 'x'.repeat(501) }), 'reason');
  });

  it('refuses an unknown requiredConsentWithdrawal setting', async () => {
    await expect(tenantWithSettings(h, { requiredConsentWithdrawal: 'IGNORE' })).rejects.toThrow(/settings: 400/);
  });
});

describe('the tables', () => {
  it('refuse a withdrawal without its actor, whatever writes it', async () => {
    const customer = await register(tenant);
    await tenant.call('POST', `${customer.path}/consents/MARKETING`, { accepted: true, version: 'm-1' });
    await expect(h.db('consents').where({ customer_id: customer.customerId }).update({ withdrawn_at: h.db.fn.now() })).rejects.toMatchObject({
      code: '23514',
      constraint: 'consents_withdrawal_check',
    });
  });

  // Last in this file: it takes the columns and tables away and back, with re-accepted versions stored.
  it('roll their migrations back and forward', async () => {
    const { migrationSource } = await import('../../migrations');
    for (const name of [
      '20261128012300_consents_once_per_version_in_force',
      '20261128012200_consents_withdrawal',
      '20261128012100_create_customer_preference_changes',
      '20261128012000_create_customer_preferences',
    ]) {
      await h.db.migrate.down({ migrationSource, name });
    }
    expect(await h.db.schema.hasColumn('consents', 'withdrawn_at')).toBe(false);
    expect(await h.db.schema.hasTable('customer_preferences')).toBe(false);
    await h.db.migrate.latest({ migrationSource });
    expect(await h.db.schema.hasColumn('consents', 'withdrawn_at')).toBe(true);
    expect(await h.db.schema.hasTable('customer_preference_changes')).toBe(true);
  });
});
