import { createHmac } from 'node:crypto';
import { codeHashKeyOf } from '../../common/secrets';
import { passwordResetWorkflowId } from '../../common/password-reset-contract';
import { payloadCodecFor } from '../../common/temporal';
import { startHarness, type Harness } from '../support/harness';
import { payloadTexts } from '../support/history';
import { emailsTo } from '../support/inbox';
import { authCall, login, PASSWORD, registeredAndSignedIn, v2Request } from '../support/customer-session';
import { codeIn, register } from '../support/journey';
import { createTenant, uniqueEmail, type TenantSession } from '../support/tenant-client';

let h: Harness;
let tenant: TenantSession;

beforeAll(async () => {
  h = await startHarness('customer_reset');
  tenant = await createTenant(h);
});
afterAll(() => h?.close());

const NEW_PASSWORD = 'AnotherPassword456!';
const SUBJECT = 'Your password reset code';

/** The newest reset code mailed to the address (the registration's verification e-mail may come first). */
async function resetCode(email: string): Promise<string> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const resets = (await emailsTo(h.infra.inboxUrl, email)).filter((e) => e.subject === SUBJECT);
    if (resets.length) return codeIn(resets.at(-1)!.text);
    if (Date.now() > deadline) throw new Error(`no password reset e-mail reached ${email}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function workflowOf(email: string) {
  const key = createHmac('sha256', codeHashKeyOf(h.secrets)).update(`password-reset:${email.toLowerCase()}`).digest('base64url');
  return h.temporal.workflow.getHandle(passwordResetWorkflowId(tenant.tenantId, key));
}

describe('password reset by e-mailed code', () => {
  it('mails a code, sets the new password with it, revokes every session, and ends its workflow', async () => {
    const { email, path, session } = await registeredAndSignedIn(h, tenant);
    const requested = await authCall(h, tenant.tenantId, '/password-reset', { email });
    expect(requested.status).toBe(202);
    expect(requested.body).toEqual({ accepted: true });
    const code = await resetCode(email);

    const confirmed = await authCall(h, tenant.tenantId, '/password-reset/confirm', { email, code, newPassword: NEW_PASSWORD });
    expect(confirmed.status).toBe(200);
    expect((await session.call('GET', path)).status).toBe(401);
    expect((await authCall(h, tenant.tenantId, '/login', { email, password: PASSWORD })).status).toBe(401);
    const fresh = await login(h, tenant.tenantId, email, NEW_PASSWORD);
    expect((await fresh.call('GET', path)).status).toBe(200);
    // The code is spent, and the workflow heard so.
    expect((await authCall(h, tenant.tenantId, '/password-reset/confirm', { email, code, newPassword: 'YetAnother789!x' })).status).toBe(400);
    expect(await workflowOf(email).result()).toBe('SENT');
  });

  it('keeps the code and the address out of the workflow history; the table holds only a keyed hash', async () => {
    const { customerId, email } = await register(tenant, { password: PASSWORD });
    await authCall(h, tenant.tenantId, '/password-reset', { email });
    const code = await resetCode(email);
    const row = await h.db('customer_password_resets').where({ tenant_id: tenant.tenantId, customer_id: customerId }).first();
    expect(row.code_hash).not.toContain(code);
    const history = await workflowOf(email).fetchHistory();
    const decoded = (await payloadTexts(history, payloadCodecFor(h.secrets))).join('\n');
    expect(decoded).toContain(customerId);
    expect(decoded).not.toContain(code);
    expect(decoded).not.toContain(email);
  });

  it('answers an unknown address exactly as a known one and mails nothing', async () => {
    const nobody = uniqueEmail('nobody');
    const answer = await authCall(h, tenant.tenantId, '/password-reset', { email: nobody });
    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({ accepted: true });
    expect(await workflowOf(nobody).result()).toBe('NO_ACCOUNT');
    expect(await emailsTo(h.infra.inboxUrl, nobody)).toEqual([]);
    const confirm = await authCall(h, tenant.tenantId, '/password-reset/confirm', { email: nobody, code: '123456', newPassword: NEW_PASSWORD });
    expect(confirm.status).toBe(400);
    expect(confirm.body.details).toEqual([{ field: 'code', message: 'The code is not correct or has expired; request a new one' }]);
  });

  it('takes five wrong codes, then not even the right one; an expired code is refused', async () => {
    const { customerId, email } = await register(tenant, { password: PASSWORD });
    await authCall(h, tenant.tenantId, '/password-reset', { email });
    const code = await resetCode(email);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) {
      expect((await authCall(h, tenant.tenantId, '/password-reset/confirm', { email, code: wrong, newPassword: NEW_PASSWORD })).status).toBe(400);
    }
    expect((await authCall(h, tenant.tenantId, '/password-reset/confirm', { email, code, newPassword: NEW_PASSWORD })).status).toBe(400);
    await h.db('customer_password_resets').where({ tenant_id: tenant.tenantId, customer_id: customerId }).update({ attempts: 0, expires_at: new Date(Date.now() - 1000) });
    expect((await authCall(h, tenant.tenantId, '/password-reset/confirm', { email, code, newPassword: NEW_PASSWORD })).status).toBe(400);
    await login(h, tenant.tenantId, email, PASSWORD);
  });

  it('refuses a new password that breaks the policy, before the code is spent', async () => {
    const { email } = await register(tenant, { password: PASSWORD });
    await authCall(h, tenant.tenantId, '/password-reset', { email });
    const code = await resetCode(email);
    const weak = await authCall(h, tenant.tenantId, '/password-reset/confirm', { email, code, newPassword: 'short' });
    expect(weak.status).toBe(400);
    expect(weak.body.details[0].field).toBe('newPassword');
    expect((await authCall(h, tenant.tenantId, '/password-reset/confirm', { email, code, newPassword: NEW_PASSWORD })).status).toBe(200);
  });

  it('lets a customer created through v2 (no password) set one and sign in', async () => {
    const email = uniqueEmail('v2');
    const created = await tenant.call('POST', '/v2/customers/individual', v2Request(email));
    expect(created.status).toBe(201);
    expect((await authCall(h, tenant.tenantId, '/login', { email, password: NEW_PASSWORD })).status).toBe(401);
    await authCall(h, tenant.tenantId, '/password-reset', { email });
    const code = await resetCode(email);
    expect((await authCall(h, tenant.tenantId, '/password-reset/confirm', { email, code, newPassword: NEW_PASSWORD })).status).toBe(200);
    const session = await login(h, tenant.tenantId, email, NEW_PASSWORD);
    expect(session.customerId).toBe(created.body.data.customer_id);
    expect((await session.call('GET', `/api/v2.1/customer/${session.customerId}`)).body.email).toBe(email);
  });
});
