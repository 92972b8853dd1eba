/** Beneficiary requests and the confirmation code as the customer receives it, for the beneficiary tests. */
import type { Harness } from './harness';
import { emailsTo, type ReceivedEmail } from './inbox';
import { CONSENTS, codeIn, PROFILE, register, verifyEmail, waitForStatus } from './journey';
import type { TenantSession } from './tenant-client';

export const CONFIRMATION_SUBJECT = 'Confirm your new payment recipient';
export const beneficiariesOf = (customerId: string) => `/v2/customer/${customerId}/beneficiaries`;

export const GERMAN_IBAN = { name: 'Hans Müller', country: 'DEU', currency: 'EUR', iban: 'DE89 3704 0044 0532 0130 00', bic: 'COBADEFFXXX' };
export const US_ACCOUNT = { name: 'Jane Roe', country: 'USA', currency: 'USD', routing_code: '021000021', account_number: '000123456789' };
export const UK_ACCOUNT = { name: 'Oliver Smith', country: 'GBR', currency: 'GBP', routing_code: '60-16-13', account_number: '31926819' };

/** The confirmation e-mails to `email` that name `maskedAccount`, once there are `count` of them. */
export async function confirmationEmails(h: Harness, email: string, maskedAccount: string, count = 1, timeoutMs = 15_000): Promise<ReceivedEmail[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await emailsTo(h.infra.inboxUrl, email)).filter((mail) => mail.subject === CONFIRMATION_SUBJECT && mail.text.includes(maskedAccount));
    if (found.length >= count) return found;
    if (Date.now() > deadline) throw new Error(`expected ${count} confirmation e-mail(s) for ${maskedAccount}, found ${found.length}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function confirmationCode(h: Harness, email: string, maskedAccount: string, nth = 1): Promise<string> {
  return codeIn((await confirmationEmails(h, email, maskedAccount, nth))[nth - 1]!.text);
}

/** Polls a beneficiary until it reaches `status` (the workflow's timer moves it), within a deadline. */
export async function waitForBeneficiary(call: (method: string, path: string) => Promise<{ status: number; body: any }>, path: string, status: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await call('GET', path);
    if (res.body?.data?.status === status) return res.body.data;
    if (Date.now() > deadline) throw new Error(`expected ${status}, still ${JSON.stringify(res.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

/** The newest SMS the tenant's sandbox sent to `phone` whose text includes `containing`, within a deadline. */
export async function smsTo(tenant: TenantSession, phone: string, containing: string, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const outbox = await tenant.call('GET', `/api/v2.1/sandbox/sms?phone=${encodeURIComponent(phone)}`);
    const found = (outbox.body.data as Array<{ body: string }>).find((sms) => sms.body.includes(containing));
    if (found) return found.body;
    if (Date.now() > deadline) throw new Error(`no SMS to ${phone} containing ${containing}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

/** A customer with a verified phone taken through the whole onboarding to ACTIVE (journey.activeCustomer has none). */
export async function activeCustomerWithPhone(h: Harness, tenant: TenantSession, phone: string, overrides: Record<string, unknown> = {}) {
  const customer = await register(tenant, { phone, ...overrides });
  const ok = async (pending: Promise<{ status: number; body: unknown }>) => {
    const res = await pending;
    if (res.status >= 300) throw new Error(`step failed: ${res.status} ${JSON.stringify(res.body)}`);
  };
  await ok(verifyEmail(h, tenant, customer));
  await ok(tenant.call('POST', `${customer.path}/verify-phone/send`));
  await ok(tenant.call('POST', `${customer.path}/verify-phone`, { code: codeIn(await smsTo(tenant, phone, 'verification code')) }));
  await ok(tenant.call('PUT', `/v2/profile/${customer.customerId}`, PROFILE));
  for (const type of CONSENTS) await ok(tenant.call('POST', `${customer.path}/consents/${type}`, { accepted: true, version: '2026-01' }));
  await ok(tenant.call('POST', `${customer.path}/verification`));
  await waitForStatus(tenant, customer.path, 'KYC_APPROVED');
  await ok(tenant.call('POST', `${customer.path}/activation`));
  return customer;
}
