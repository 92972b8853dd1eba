/**
 * The back office's review paths the first browser suite does not walk, in headless Chromium against the real
 * stack: an escalation decided by a second officer, a four-eyes proposal declined and the case decided afresh, an
 * organization under the organizations rule confirmed by a second officer with its UBOs shown, and a decision taken
 * with the keyboard alone. Pages are found by accessible names only; every outcome is checked through the API (the
 * tenant's, or a staff session's read of the case), not only in the page's words.
 */
import { eventually, useBrowser, type BrowserPage } from '../support/browser';
import { announced, decide, isFocused, openCase, openQueue, rowOf, signIn as signInAt, tabTo } from '../support/backoffice-pages';
import { enrolledStaff } from '../support/backoffice-seed';
import { individualInManualReview, organizationInReview } from '../support/review-cases';
import { startHarness, type Harness } from '../support/harness';
import { tenantWithSettings } from '../support/journey';
import { staffSession, type EnrolledStaff } from '../support/staff';
import { createTenant, type TenantSession } from '../support/tenant-client';

let h: Harness;
/** No four-eyes rule: an escalation is the only way a second officer is brought in. */
let plainTenant: TenantSession;
let rejectionsTenant: TenantSession;
let organizationsTenant: TenantSession;
let toEscalate: { customerId: string; path: string };
let toDecline: { customerId: string; path: string };
let byKeyboard: { customerId: string; path: string };
let organization: Awaited<ReturnType<typeof organizationInReview>>;

beforeAll(async () => {
  h = await startHarness('backoffice_paths');
  [plainTenant, rejectionsTenant, organizationsTenant] = await Promise.all([
    createTenant(h),
    tenantWithSettings(h, { fourEyes: { rejections: true } }),
    tenantWithSettings(h, { fourEyes: { organizations: true } }),
  ]);
  [toEscalate, toDecline, byKeyboard, organization] = await Promise.all([
    individualInManualReview(h, plainTenant),
    individualInManualReview(h, rejectionsTenant),
    individualInManualReview(h, plainTenant),
    organizationInReview(h, organizationsTenant),
  ]);
}, 240_000);
afterAll(() => h?.close());

const { browserIt } = useBrowser();

const signIn = (tab: BrowserPage, who: EnrolledStaff) => signInAt(tab, h.api.url, who);
/** A compliance officer of its own for each sign-in (a TOTP code is accepted once per account and step). */
const officer = () => enrolledStaff(h, ['COMPLIANCE_OFFICER']);
const signedInOfficer = async (newPage: () => Promise<BrowserPage>) => {
  const [tab, who] = await Promise.all([newPage(), officer()]);
  await signIn(tab, who);
  return { ...tab, who };
};

const statusOf = async (tenant: TenantSession, subject: { path: string }) => (await tenant.call('GET', `${subject.path}/onboarding`)).body.status;
/** The case as the API answers it to staff who are none of the test's reviewers (an auditor). */
const caseOf = async (caseType: string, subjectId: string) => {
  const read = await (await staffSession(h, ['AUDITOR'])).call('GET', `/api/v2.1/admin/cases/${caseType}/${subjectId}`);
  expect(read.status).toBe(200);
  return read.body;
};
const timelineEntry = (page: BrowserPage['page'], text: string | RegExp) =>
  page.getByRole('region', { name: 'Timeline' }).getByRole('listitem').filter({ hasText: text });

describe('the back office\'s other review paths in a browser', () => {
  browserIt('escalates a case: the escalating officer may no longer decide it, a second officer decides it and the escalation resolves', async ({ newPage }) => {
    const first = await signedInOfficer(newPage);
    await openCase(first.page, toEscalate.customerId);
    await decide(first.page, 'Escalate', 'Watchlist match needs a senior look');
    await announced(first.page, 'Escalated to a second reviewer');
    expect((await caseOf('INDIVIDUAL', toEscalate.customerId)).proposal).toMatchObject({ kind: 'ESCALATION', decision: null, reason: 'Watchlist match needs a senior look' });
    // The escalating officer is offered no decision on the case any more, nor a second escalation.
    await first.page.getByText('You escalated this case: another compliance officer must decide it.').waitFor();
    for (const button of ['Approve', 'Reject', 'Escalate']) expect(await first.page.getByRole('button', { name: button, exact: true }).count()).toBe(0);
    await openQueue(first.page);
    await rowOf(first.page, toEscalate.customerId).filter({ hasText: 'Escalated by you' }).waitFor();

    const second = await signedInOfficer(newPage);
    await openQueue(second.page);
    await rowOf(second.page, toEscalate.customerId).filter({ hasText: `Escalated by ${first.who.email}` }).waitFor();
    await openCase(second.page, toEscalate.customerId);
    await decide(second.page, 'Approve', 'Senior review: the match is a namesake');
    await announced(second.page, 'Approved. Status: KYC_APPROVED');
    expect(await eventually(() => statusOf(plainTenant, toEscalate), 'KYC_APPROVED', 30_000)).toBe('KYC_APPROVED');
    expect((await caseOf('INDIVIDUAL', toEscalate.customerId)).proposal).toBeNull();
    // The reloaded case shows the escalation resolved by the second officer's decision.
    await timelineEntry(second.page, 'Escalation').filter({ hasText: 'Watchlist match needs a senior look' }).waitFor();
    await timelineEntry(second.page, 'Escalation DECIDED').filter({ hasText: 'Senior review: the match is a namesake' }).waitFor();
  });

  browserIt('declines a four-eyes rejection: the case is undecided again, and the second officer then approves it', async ({ newPage }) => {
    const first = await signedInOfficer(newPage);
    await openCase(first.page, toDecline.customerId);
    await decide(first.page, 'Reject', 'The address does not match the register');
    await announced(first.page, 'Waiting for a second reviewer');
    expect((await caseOf('INDIVIDUAL', toDecline.customerId)).proposal).toMatchObject({ kind: 'FOUR_EYES', decision: 'REJECT' });

    const second = await signedInOfficer(newPage);
    await openCase(second.page, toDecline.customerId);
    await decide(second.page, 'Decline proposal', 'The customer moved: the new address is on file');
    await announced(second.page, 'Proposal declined');
    // Undecided again: no proposal, still in review, and every decision offered afresh.
    expect((await caseOf('INDIVIDUAL', toDecline.customerId)).proposal).toBeNull();
    expect(await statusOf(rejectionsTenant, toDecline)).toBe('MANUAL_REVIEW');
    for (const button of ['Approve', 'Reject', 'Escalate']) await second.page.getByRole('button', { name: button, exact: true }).waitFor();
    expect(await second.page.getByRole('button', { name: 'Decline proposal' }).count()).toBe(0);
    await timelineEntry(second.page, 'Four-eyes proposal DECLINED').filter({ hasText: 'The customer moved' }).waitFor();

    await decide(second.page, 'Approve', 'Address confirmed by the utility bill');
    await announced(second.page, 'Approved. Status: KYC_APPROVED');
    expect(await eventually(() => statusOf(rejectionsTenant, toDecline), 'KYC_APPROVED', 30_000)).toBe('KYC_APPROVED');
  });

  browserIt('holds an organization\'s approval for a second officer under four-eyes, whose confirmation approves it; the ownership shows the UBO', async ({ newPage }) => {
    const rep = organization.body.representative as { firstName: string; lastName: string };
    const first = await signedInOfficer(newPage);
    await openCase(first.page, organization.businessName);
    await decide(first.page, 'Approve', 'Registry extract checked by hand');
    await announced(first.page, 'Waiting for a second reviewer');
    expect(await statusOf(organizationsTenant, organization)).toBe('MANUAL_REVIEW');
    expect((await caseOf('ORGANIZATION', organization.id)).proposal).toMatchObject({ kind: 'FOUR_EYES', decision: 'APPROVE' });

    const second = await signedInOfficer(newPage);
    await openCase(second.page, organization.businessName);
    // The ownership tree: the representative holds it all, directly, and is its UBO.
    const owners = second.page.getByRole('list', { name: `Owners of ${organization.businessName}` });
    const holder = owners.getByRole('listitem').filter({ hasText: `${rep.firstName} ${rep.lastName} holds 100 %`, hasNot: second.page.getByRole('list') });
    await holder.filter({ hasText: 'UBO effective 100 %' }).waitFor();
    expect(await second.page.getByRole('button', { name: 'Reject', exact: true }).count()).toBe(0);
    await decide(second.page, 'Approve', 'Agreed: the registry extract matches');
    await announced(second.page, 'Approved. Status: APPROVED');
    expect(await eventually(() => statusOf(organizationsTenant, organization), 'APPROVED', 30_000)).toBe('APPROVED');
    await timelineEntry(second.page, 'Four-eyes proposal CONFIRMED').waitFor();
  });

  browserIt('takes a decision with the keyboard alone, the dialog holding the focus and giving it back', async ({ newPage }) => {
    const { page } = await signedInOfficer(newPage);
    await openQueue(page);
    await tabTo(page, rowOf(page, byKeyboard.customerId).getByRole('link', { name: 'Open case' }), 300);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: `Individual ${byKeyboard.customerId}` }).waitFor();

    const approve = page.getByRole('button', { name: 'Approve', exact: true });
    await tabTo(page, approve);
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await dialog.evaluate((element) => element.contains((element.ownerDocument as any).activeElement))).toBe(true);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await isFocused(approve)).toBe(true);
    expect(await statusOf(plainTenant, byKeyboard)).toBe('MANUAL_REVIEW');

    await page.keyboard.press('Enter');
    const reason = dialog.getByRole('textbox', { name: 'Reason' });
    await reason.waitFor();
    if (!(await isFocused(reason))) await tabTo(page, reason, 10);
    await page.keyboard.type('Passport and selfie match');
    await tabTo(page, dialog.getByRole('button', { name: 'Confirm' }), 10);
    await page.keyboard.press('Enter');
    await announced(page, 'Approved. Status: KYC_APPROVED');
    expect(await eventually(() => statusOf(plainTenant, byKeyboard), 'KYC_APPROVED', 30_000)).toBe('KYC_APPROVED');
  });
});
