import { CustomerIdKey, OnboardingStatusKey, TenantIdKey } from '../../common/search-attributes';
import { onboardingWorkflowId } from '../../common/onboarding-contract';
import { payloadCodecFor } from '../../common/temporal';
import { payloadTexts } from '../support/history';
import { startHarness, type Harness } from '../support/harness';
import { waitForEmails } from '../support/inbox';
import { createTenant, registration, type TenantSession } from '../support/tenant-client';

const REGISTER = '/api/v2.1/customer/individual/registration';

let h: Harness;
let tenant: TenantSession;

beforeAll(async () => {
  h = await startHarness('registration');
  tenant = await createTenant(h);
});
afterAll(() => h?.close());

describe('POST /api/v2.1/customer/individual/registration', () => {
  it('registers the customer, stores the row and e-mails a verification code', async () => {
    const request = registration({ phone: '+1 415 555 2671' });
    const res = await tenant.call('POST', REGISTER, request);

    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      customerId: expect.stringMatching(/^cust_[0-9a-f]{24}$/),
      email: request.email,
      firstName: 'John',
      lastName: 'Doe',
      status: 'PENDING_EMAIL_VERIFICATION',
      createdAt: expect.any(String),
      verificationEmailSent: true,
    });
    expect(new Date(res.body.createdAt).toISOString()).toBe(res.body.createdAt);

    const row = await h.db('customers').where({ id: res.body.customerId }).first();
    expect(row).toMatchObject({
      tenant_id: tenant.tenantId,
      type: 'INDIVIDUAL',
      email: request.email,
      phone: '+14155552671',
      status: 'PENDING_EMAIL_VERIFICATION',
      marketing_consent: false,
    });
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    const history = await h.db('customer_status_history').where({ customer_id: res.body.customerId });
    expect(history.map((r) => r.status)).toEqual(['PENDING_EMAIL_VERIFICATION']);

    const [email] = await waitForEmails(h.infra.inboxUrl, request.email);
    expect(email.subject).toBe('Your verification code');
    const code = /code is (\d{6})/.exec(email.text)?.[1];
    expect(code).toMatch(/^\d{6}$/);
    const stored = await h.db('verification_codes').where({ customer_id: res.body.customerId, channel: 'EMAIL' }).first();
    expect(stored.code_hash).not.toContain(code);
    expect(new Date(stored.expires_at).getTime()).toBeGreaterThan(Date.now() + 55 * 60_000);
  });

  it('keeps the password, the code and personal data out of the workflow history, and tags the workflow for search', async () => {
    const request = registration({ firstName: 'Henrietta', lastName: 'Oyelaran-Quist' });
    const res = await tenant.call('POST', REGISTER, request);
    expect(res.status).toBe(201);
    const [email] = await waitForEmails(h.infra.inboxUrl, request.email);
    const code = /code is (\d{6})/.exec(email.text)![1];

    const workflowId = onboardingWorkflowId(tenant.tenantId, res.body.customerId);
    const handle = h.temporal.workflow.getHandle(workflowId);
    const description = await handle.describe();
    expect(description.typedSearchAttributes.get(TenantIdKey)).toBe(tenant.tenantId);
    expect(description.typedSearchAttributes.get(CustomerIdKey)).toBe(res.body.customerId);
    expect(description.typedSearchAttributes.get(OnboardingStatusKey)).toBe('PENDING_EMAIL_VERIFICATION');

    const listed: string[] = [];
    for await (const wf of h.temporal.workflow.list({ query: `TenantId = "${tenant.tenantId}" AND CustomerId = "${res.body.customerId}"` })) {
      listed.push(wf.workflowId);
    }
    expect(listed).toEqual([workflowId]);

    // What the server stores (and the Web UI shows without the codec) holds no secret or personal data ...
    const history = await handle.fetchHistory();
    const stored = (await payloadTexts(history)).join('\n');
    for (const secret of [request.password, request.email, 'Henrietta', 'Oyelaran-Quist', code]) {
      expect(stored).not.toContain(secret);
    }
    // ... while the codec the compliance UI uses reads the registration, and still never the password, its
    // hash or the code: the hash went from the API to the customer row through registration_secrets.
    const decoded = (await payloadTexts(history, payloadCodecFor(h.secrets))).join('\n');
    expect(decoded).toContain(request.email);
    expect(decoded).toContain('Oyelaran-Quist');
    const { password_hash: passwordHash } = await h.db('customers').where({ id: res.body.customerId }).first('password_hash');
    expect(passwordHash).toMatch(/^\$argon2id\$/);
    for (const secret of [request.password, passwordHash, '$argon2id$', code]) expect(decoded).not.toContain(secret);
    expect(await h.db('registration_secrets').where({ tenant_id: tenant.tenantId, customer_id: res.body.customerId })).toEqual([]);
  });

  it('refuses an e-mail already registered in the tenant, whatever its letter case', async () => {
    const request = registration();
    expect((await tenant.call('POST', REGISTER, request)).status).toBe(201);
    const again = await tenant.call('POST', REGISTER, { ...request, email: request.email.toUpperCase() });
    expect(again.status).toBe(400);
    expect(again.body).toEqual({
      error: 'VALIDATION_ERROR',
      message: expect.any(String),
      details: [{ field: 'email', message: 'Email address is already registered' }],
    });
    const rows = await h.db('customers').whereRaw('lower(email) = ?', [request.email.toLowerCase()]);
    expect(rows).toHaveLength(1);
    // The refused registration left no staged password hash behind.
    expect(await h.db('registration_secrets').where({ tenant_id: tenant.tenantId })).toEqual([]);
  });

  it('encrypts failure messages in the history: the refused racer reads "Encoded failure" to the server', async () => {
    const request = registration();
    const statuses = await Promise.all([tenant.call('POST', REGISTER, request), tenant.call('POST', REGISTER, request)]);
    expect(statuses.map((r) => r.status).sort()).toEqual([201, 400]);
    const refusedHistory = async () => {
      for await (const wf of h.temporal.workflow.list({ query: `TenantId = "${tenant.tenantId}" AND ExecutionStatus = "Completed"` })) {
        const text = JSON.stringify(await h.temporal.workflow.getHandle(wf.workflowId, wf.runId).fetchHistory());
        if (text.includes('Encoded failure')) return text;
      }
      return undefined;
    };
    let refused: string | undefined;
    for (let tries = 0; refused === undefined && tries < 50; tries += 1) {
      refused = await refusedHistory();
      if (refused === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(refused).toBeDefined();
    expect(refused).not.toContain('already registered');
    // Every staged secret was consumed by the winner or discarded after the refusal.
    expect(await h.db('registration_secrets').where({ tenant_id: tenant.tenantId })).toEqual([]);
  });

  it("sweeps the tenant's expired staged secrets (left by an API that died mid-registration) on its next registration", async () => {
    await h.db('registration_secrets').insert({
      tenant_id: tenant.tenantId, customer_id: 'cust_orphan', password_hash: '$argon2id$orphan', expires_at: new Date(Date.now() - 1000),
    });
    expect((await tenant.call('POST', REGISTER, registration())).status).toBe(201);
    expect(await h.db('registration_secrets').where({ tenant_id: tenant.tenantId, customer_id: 'cust_orphan' })).toEqual([]);
  });

  it('lets exactly one of two racing registrations with the same e-mail win', async () => {
    const request = registration();
    const results = await Promise.all([
      tenant.call('POST', REGISTER, request),
      tenant.call('POST', REGISTER, { ...request, email: request.email.toUpperCase() }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 400]);
    const loser = results.find((r) => r.status === 400)!;
    expect(loser.body.details).toEqual([{ field: 'email', message: 'Email address is already registered' }]);
    const rows = await h.db('customers').whereRaw('lower(email) = ?', [request.email.toLowerCase()]);
    expect(rows).toHaveLength(1);
    const [sent] = await waitForEmails(h.infra.inboxUrl, request.email);
    expect(sent).toBeDefined();
  });

  it('registers the same e-mail in another tenant', async () => {
    const request = registration();
    const other = await createTenant(h, 'Other Bank');
    expect((await tenant.call('POST', REGISTER, request)).status).toBe(201);
    expect((await other.call('POST', REGISTER, request)).status).toBe(201);
  });
});

describe('GET /api/v2.1/customer/{customerId}', () => {
  it('returns the tenant its own customer with the current status', async () => {
    const request = registration({ marketingConsent: true });
    const created = await tenant.call('POST', REGISTER, request);
    const res = await tenant.call('GET', `/api/v2.1/customer/${created.body.customerId}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      customerId: created.body.customerId,
      customerType: 'INDIVIDUAL',
      email: request.email,
      status: 'PENDING_EMAIL_VERIFICATION',
      marketingConsent: true,
    });
    expect(res.body).not.toHaveProperty('password');
    expect(res.body).not.toHaveProperty('passwordHash');
  });

  it("answers 404 for another tenant's customer and for an unknown id", async () => {
    const created = await tenant.call('POST', REGISTER, registration());
    const other = await createTenant(h, 'Nosy Bank');
    const res = await other.call('GET', `/api/v2.1/customer/${created.body.customerId}`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'NOT_FOUND', message: 'Customer not found' });
    expect((await tenant.call('GET', '/api/v2.1/customer/cust_000000000000000000000000')).status).toBe(404);
  });
});
