/**
 * Records histories of the customerPasswordReset workflow into test/histories/ as `password-reset-<scenario>.json`
 * (`npm run record-histories` runs this beside the other recorders; it is not part of `npm test`): a reset whose
 * code the customer used, and a request for an address that is no customer's.
 */
import { createHmac } from 'node:crypto';
import { passwordResetWorkflowId } from '../../common/password-reset-contract';
import { codeHashKeyOf } from '../../common/secrets';
import { authCall, PASSWORD } from '../support/customer-session';
import { startHarness, type Harness } from '../support/harness';
import { emailsTo } from '../support/inbox';
import { codeIn, register } from '../support/journey';
import { createTenant, uniqueEmail, type TenantSession } from '../support/tenant-client';
import { FIXTURE_SECRETS, saveHistory } from './histories';

let h: Harness;
let tenant: TenantSession;
beforeAll(async () => {
  h = await startHarness('record_reset', { secrets: FIXTURE_SECRETS });
  tenant = await createTenant(h);
});
afterAll(() => h?.close());

function handleOf(email: string) {
  const key = createHmac('sha256', codeHashKeyOf(h.secrets)).update(`password-reset:${email.toLowerCase()}`).digest('base64url');
  return h.temporal.workflow.getHandle(passwordResetWorkflowId(tenant.tenantId, key));
}

async function resetCode(email: string): Promise<string> {
  for (const deadline = Date.now() + 15_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 100))) {
    const reset = (await emailsTo(h.infra.inboxUrl, email)).find((e) => e.subject === 'Your password reset code');
    if (reset) return codeIn(reset.text);
  }
  throw new Error('no reset e-mail');
}

it('records a reset completed with the e-mailed code', async () => {
  const { email } = await register(tenant, { password: PASSWORD });
  expect((await authCall(h, tenant.tenantId, '/password-reset', { email })).status).toBe(202);
  const code = await resetCode(email);
  expect((await authCall(h, tenant.tenantId, '/password-reset/confirm', { email, code, newPassword: 'FixturePassword123!' })).status).toBe(200);
  expect(await handleOf(email).result()).toBe('SENT');
  saveHistory('password-reset-completed', await handleOf(email).fetchHistory());
});

it('records a request for an unknown address', async () => {
  const email = uniqueEmail('nobody');
  expect((await authCall(h, tenant.tenantId, '/password-reset', { email })).status).toBe(202);
  expect(await handleOf(email).result()).toBe('NO_ACCOUNT');
  saveHistory('password-reset-no-account', await handleOf(email).fetchHistory());
});
