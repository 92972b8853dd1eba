/** Steps of a contact change as a tenant's app takes them: ask, read the code where it went, confirm. */
import type { Harness } from './harness';
import { waitForEmails } from './inbox';
import { codeIn } from './journey';
import type { HttpResult } from './tenant-client';

type Call = (method: string, path: string, body?: unknown) => Promise<HttpResult>;

export const changesPath = (customerId: string) => `/v2/customer/${customerId}/contact-changes`;

export async function requestChange(call: Call, customerId: string, body: unknown) {
  const res = await call('POST', changesPath(customerId), body);
  if (res.status !== 202) throw new Error(`contact change: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data as { change_id: string; channel: string; status: string; expires_at: string; created_at: string };
}

/** The newest code sent to a new e-mail address (the `nth` confirmation e-mail to it). */
export async function emailCode(h: Harness, address: string, nth = 1): Promise<string> {
  const codes = (await waitForEmails(h.infra.inboxUrl, address, nth)).filter((e) => e.subject === 'Confirm your new e-mail address');
  return codeIn(codes.at(-1)!.text);
}

/** The texts the sandbox SMS sender holds for `phone`, newest first, once there are `count`. */
export async function smsTo(call: Call, phone: string, count = 1, timeoutMs = 15_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await call('GET', `/api/v2.1/sandbox/sms?phone=${encodeURIComponent(phone)}`);
    const texts = (res.body.data ?? []).map((m: { body: string }) => m.body) as string[];
    if (texts.length >= count) return texts;
    if (Date.now() > deadline) throw new Error(`expected ${count} SMS to ${phone}, found ${texts.length}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Polls the change until it reaches `status` (the workflow's timer or its apply step). */
export async function waitForChange(call: Call, customerId: string, changeId: string, status: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await call('GET', `${changesPath(customerId)}/${changeId}`);
    if (res.body.data?.status === status) return res.body.data;
    if (Date.now() > deadline) throw new Error(`expected ${status}, still ${JSON.stringify(res.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

/** The e-mails to `address` with `subject`, once one has come. */
export async function emailsWithSubject(h: Harness, address: string, subject: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await waitForEmails(h.infra.inboxUrl, address, 1, timeoutMs)).filter((e) => e.subject === subject);
    if (found.length > 0) return found;
    if (Date.now() > deadline) throw new Error(`no "${subject}" e-mail to ${address}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
