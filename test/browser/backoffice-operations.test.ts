/**
 * Operations in the back office, in headless Chromium against the real stack: onboardings whose verification
 * e-mail keeps failing (the customer's mailbox refuses it, as a dead mailbox does) show up as stuck and failed;
 * an operator retries the activity once the mailbox is fixed (the e-mail arrives, sent by a fresh first attempt),
 * and resets an onboarding after reading in the confirmation what will run again (Cancel keeps the run, Confirm
 * starts a new one, as the Temporal client sees). A compliance officer without OPERATOR gets neither the page nor
 * its routes.
 */
import type { Locator } from 'playwright-core';
import { onboardingWorkflowId } from '../../common/onboarding-contract';
import { expectAccessible, useBrowser, type BrowserPage } from '../support/browser';
import { announced, signIn as signInAt } from '../support/backoffice-pages';
import { enrolledStaff } from '../support/backoffice-seed';
import { startHarness, type Harness } from '../support/harness';
import { emailsTo, waitForEmails } from '../support/inbox';
import { register } from '../support/journey';
import { deadAddress, DEAD_DOMAIN, refusingMailer } from '../support/refusing-mailer';
import { staffSession, type EnrolledStaff, type StaffSession } from '../support/staff';
import { createTenant, type TenantSession } from '../support/tenant-client';

const BASE = '/api/v2.1/admin/operations';

let h: Harness;
let tenant: TenantSession;
/** Dead mailboxes fixed meanwhile: their e-mails go through again. */
const fixedMailboxes = new Set<string>();
let operatorApi: StaffSession;

beforeAll(async () => {
  const mailer = refusingMailer((email) => email.to.endsWith(`@${DEAD_DOMAIN}`) && !fixedMailboxes.has(email.to));
  h = await startHarness('backoffice_operations', { activityDeps: { mailer } });
  tenant = await createTenant(h);
  operatorApi = await staffSession(h, ['OPERATOR']);
}, 180_000);
afterAll(() => h?.close());

const { browserIt } = useBrowser();

const signIn = (tab: BrowserPage, who: EnrolledStaff) => signInAt(tab, h.api.url, who);

/** Polls `probe` until it answers something; workflow effects on a loaded machine take their time. */
async function until<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** A new customer whose verification e-mail goes to a dead mailbox, once the operations API lists it retrying. */
async function customerWithFailingEmail() {
  const customer = await register(tenant, { email: deadAddress() });
  const retrying = await until(async () => {
    const failed = await operatorApi.call('GET', `${BASE}/failed?tenantId=${tenant.tenantId}&activityType=sendVerificationEmail`);
    expect(failed.status).toBe(200);
    return (failed.body.data as any[]).find((item) => item.kind === 'ACTIVITY_RETRYING' && item.execution.customerId === customer.customerId && item.activity.attempt >= 2);
  }, `the verification e-mail of ${customer.customerId} retrying`);
  return { ...customer, activityId: retrying.activity.activityId as string, handle: h.temporal.workflow.getHandle(onboardingWorkflowId(tenant.tenantId, customer.customerId)) };
}

async function openOperations(tab: BrowserPage) {
  await signIn(tab, await enrolledStaff(h, ['OPERATOR']));
  await tab.page.getByRole('link', { name: 'Operations' }).click();
  await tab.page.getByRole('heading', { level: 1, name: 'Operations' }).waitFor();
}

/** A table no wider than the column it sits in: nothing (its actions, last) is scrolled out of sight. */
const fitsItsColumn = (table: Locator) => table.evaluate((element) => element.parentElement!.scrollWidth <= element.parentElement!.clientWidth);

const failedRow = (page: BrowserPage['page'], customerId: string) =>
  page.getByRole('table', { name: 'Failed onboardings and activities retrying' }).getByRole('row').filter({ hasText: customerId });

describe('operations in the back office', () => {
  browserIt('shows an onboarding stuck on a failing e-mail, and retries the activity once the mailbox is fixed: the e-mail arrives', async ({ newPage }) => {
    const customer = await customerWithFailingEmail();
    // Paused while the mailbox is fixed, as an operator would: no attempt of the back-off's may send it first.
    const paused = await operatorApi.call('POST', `${BASE}/activities/pause`, { customerId: customer.customerId, activityId: customer.activityId, reason: 'Mailbox being fixed' });
    expect(paused.status).toBe(200);
    await until(async () => {
      const failed = await operatorApi.call('GET', `${BASE}/failed?tenantId=${tenant.tenantId}&activityType=sendVerificationEmail`);
      return (failed.body.data as any[]).find((item) => item.execution.customerId === customer.customerId && item.activity.paused);
    }, 'the activity paused');
    fixedMailboxes.add(customer.email);

    const tab = await newPage();
    await openOperations(tab);
    const { page } = tab;
    // Stuck: no progress (still waiting for the e-mail's code) for a second or more.
    await page.getByLabel('Without progress for at least').fill('1s');
    await page.getByRole('button', { name: 'Show stuck onboardings' }).click();
    const stuckTable = page.getByRole('table', { name: 'Stuck onboardings, longest stuck first' });
    await stuckTable.getByRole('row').filter({ hasText: customer.customerId }).filter({ hasText: 'Pending email verification' }).waitFor();
    // On a laptop's screen the table fits: its actions are in sight, not scrolled off to the right.
    expect(await fitsItsColumn(stuckTable)).toBe(true);

    // Failed: the activity retrying, paused, with the refusal as its last failure.
    const row = failedRow(page, customer.customerId);
    await row.filter({ hasText: /sendVerificationEmail \(attempt \d+.*, paused\)/ }).filter({ hasText: '550 5.1.1 mailbox unavailable' }).waitFor();
    expect(await fitsItsColumn(page.getByRole('table', { name: 'Failed onboardings and activities retrying' }))).toBe(true);
    await expectAccessible(page, 'the operations page');
    expect(await emailsTo(h.infra.inboxUrl, customer.email)).toHaveLength(0);
    await row.getByRole('button', { name: 'Retry' }).click();
    const dialog = page.getByRole('dialog', { name: 'Retry sendVerificationEmail now' });
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await announced(page, `Retried sendVerificationEmail of ${customer.customerId}`);

    // The activity ran again, as a fresh first attempt: the code reached the customer.
    const [email] = await waitForEmails(h.infra.inboxUrl, customer.email, 1, 60_000);
    expect(email!.subject).toBe('Your verification code');
    // (A retried activity's start is written to the history with its completion, just after the send.)
    const started = await until(async () => {
      const events = (await customer.handle.fetchHistory()).events ?? [];
      const scheduled = events.find((event) => event.activityTaskScheduledEventAttributes?.activityId === customer.activityId);
      return events.find((event) => String(event.activityTaskStartedEventAttributes?.scheduledEventId) === String(scheduled?.eventId));
    }, 'the activity recorded as done');
    expect(started.activityTaskStartedEventAttributes?.attempt).toBe(1);
  }, 240_000);

  browserIt('shows in the reset\'s confirmation what will run again: Cancel keeps the run, Confirm starts a new one', async ({ newPage }) => {
    const customer = await customerWithFailingEmail();
    const { runId: before } = await customer.handle.describe();
    const planned = await operatorApi.call('POST', `${BASE}/onboardings/${customer.customerId}/reset`, { dryRun: true, reason: 'What would a reset do?' });
    expect(planned.body.activitiesRunAgain).toContain('sendVerificationEmail');

    const tab = await newPage();
    await openOperations(tab);
    const { page } = tab;
    const row = failedRow(page, customer.customerId);
    await row.getByRole('button', { name: 'Reset' }).click();
    const dialog = page.getByRole('dialog', { name: `Reset the onboarding of ${customer.customerId}` });
    // The dry run's plan: the run, the point it goes back to, and each activity that runs again.
    await dialog.getByText(`The run ${before} of ${customer.handle.workflowId} goes back to event`).waitFor();
    const runAgain = await dialog.getByRole('list').getByRole('listitem').allTextContents();
    expect(runAgain).toEqual(planned.body.activitiesRunAgain);
    await expectAccessible(page, 'the reset confirmation');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect((await customer.handle.describe()).runId).toBe(before);

    await row.getByRole('button', { name: 'Reset' }).click();
    await dialog.getByRole('textbox', { name: 'Reason' }).fill('Mailbox fixed at the provider');
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    const outcome = await announced(page, `Reset ${customer.customerId}: new run `);
    const newRunId = /new run (\S+) from event/.exec((await outcome.textContent()) ?? '')?.[1];
    const now = await customer.handle.describe();
    expect(now.runId).not.toBe(before);
    expect(now).toMatchObject({ runId: newRunId, status: { name: 'RUNNING' } });
  }, 240_000);

  browserIt('shows a compliance officer without OPERATOR no Operations, and answers its routes 403', async ({ newPage }) => {
    const tab = await newPage();
    await signIn(tab, await enrolledStaff(h, ['COMPLIANCE_OFFICER']));
    const { page } = tab;
    await page.getByRole('link', { name: 'Review queue' }).waitFor();
    expect(await page.getByRole('link', { name: 'Operations' }).count()).toBe(0);
    await page.goto(`${h.api.url}/backoffice/operations`);
    await page.getByRole('heading', { level: 1, name: 'Not available' }).waitFor();
    await page.getByText('Your roles do not give access to operations.').waitFor();

    // The routes refuse the session itself, whatever the page shows: a read, and a reset with a valid CSRF token.
    tab.expectFailure({ status: 403, path: new RegExp(`^${BASE}/`) });
    const customer = await register(tenant);
    const answers = await page.evaluate(
      `(async () => {
        const session = await (await fetch('/api/v2.1/staff/auth/session')).json();
        const failed = await fetch('${BASE}/failed');
        const reset = await fetch('${BASE}/onboardings/${customer.customerId}/reset', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrfToken },
          body: JSON.stringify({ dryRun: false, reason: 'Not mine to do' }),
        });
        return [failed.status, (await failed.json()).error, reset.status, (await reset.json()).error];
      })()`,
    );
    expect(answers).toEqual([403, 'FORBIDDEN', 403, 'FORBIDDEN']);
  });
});
