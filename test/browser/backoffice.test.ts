/**
 * The compliance back office in headless Chromium, against the real stack: reviewers sign in with password and
 * TOTP, work the queue the workflows filled (oldest first, claimed so two do not work one case), read a case with
 * its document shown and its workflow's link, and decide: an approval, a rejection under four-eyes, a re-upload
 * request. Outcomes are checked where the tenant sees them, through the tenant API. Pages are found by their
 * accessible names only (roles and labels), as a screen reader would, and each screen passes axe-core's WCAG 2.1
 * A/AA rules and fits a 1280×800 laptop without scrolling sideways.
 */
import { currentTotp } from '../../api/auth/totp';
import type { Page } from 'playwright-core';
import { eventually, expectAccessible, useBrowser, type BrowserPage } from '../support/browser';
import { decide, openCase, openQueue, rowOf, signIn as signInAt } from '../support/backoffice-pages';
import { enrolledStaff, fourEyesTenant, freshTotp } from '../support/backoffice-seed';
import { documentAwaitingReview, individualInManualReview, organizationInReview } from '../support/review-cases';
import { startHarness, type Harness } from '../support/harness';
import type { EnrolledStaff } from '../support/staff';
import type { TenantSession } from '../support/tenant-client';

const TEMPORAL_UI = 'http://temporal-ui.test:8233';

let h: Harness;
let tenant: TenantSession;
/** Seeded oldest first: the queue must show them in this order. */
let toApprove: { customerId: string; path: string };
let toReject: { customerId: string; path: string };
let withDocument: { customerId: string; documentId: string };
/** A second document, to be accepted (a driving licence: its own row in the queue). */
let toAccept: { customerId: string; documentId: string };
let organization: { id: string; businessName: string };
/** The widest row the queue shows: a long name, claimed (the claim names the reviewer's e-mail). */
let longNamed: { id: string; businessName: string };

beforeAll(async () => {
  h = await startHarness('backoffice_browser', { env: { TEMPORAL_UI_URL: TEMPORAL_UI } });
  tenant = await fourEyesTenant(h);
  toApprove = await individualInManualReview(h, tenant);
  toReject = await individualInManualReview(h, tenant);
  withDocument = await documentAwaitingReview(h, tenant);
  toAccept = await documentAwaitingReview(h, tenant, undefined, 'DRIVING_LICENCE');
  organization = await organizationInReview(h, tenant);
  longNamed = await organizationInReview(h, tenant, 'Reject Freight Logistics and Maritime Forwarding International Holdings');
}, 180_000);
afterAll(() => h?.close());

const { browserIt } = useBrowser();

const signIn = (tab: BrowserPage, who: EnrolledStaff) => signInAt(tab, h.api.url, who);
/**
 * A compliance officer of its own for each test: a TOTP code is accepted once, so a second sign-in of one account
 * would wait for the authenticator's next step (up to 30 s).
 */
const officer = () => enrolledStaff(h, ['COMPLIANCE_OFFICER']);

/** How far `selector`'s content reaches past its box, sideways (0: it fits). */
const overflowOf = (page: Page, selector: string) =>
  page.locator(selector).first().evaluate((element: any) => element.scrollWidth - element.clientWidth) as Promise<number>;

/** What the case page's Subject section reads for the field labelled `label`. */
const subjectField = (page: Page, label: string) =>
  page.getByRole('region', { name: 'Subject' }).locator('dt', { hasText: label }).locator('xpath=following-sibling::dd[1]').textContent();

const onboardingStatus = async (customer: { path: string }) => (await tenant.call('GET', `${customer.path}/onboarding`)).body.status;

describe('the compliance back office in a browser', () => {
  browserIt('signs a reviewer in with password and TOTP, refusing a wrong code, and keeps the session out of reach of scripts', async ({ newPage }) => {
    const reviewer = await officer();
    const tab = await newPage();
    const { page, context } = tab;
    tab.expectFailure({ status: 401, path: '/api/v2.1/staff/auth/login' });
    await page.goto(`${h.api.url}/backoffice/`);
    await page.getByLabel('E-mail').waitFor();
    await expectAccessible(page, 'the sign-in page');
    await page.getByLabel('E-mail').fill(reviewer.email);
    await page.getByLabel('Password').fill(reviewer.password);
    // A code of ten minutes ago: well formed, outside the accepted window.
    await page.getByLabel('Authentication code').fill(currentTotp(reviewer.totpSecret, Date.now() - 600_000));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/.+/);
    await expectAccessible(page, 'the sign-in page with its error');
    expect(await page.getByRole('link', { name: 'Review queue' }).count()).toBe(0);
    expect(await context.cookies()).toEqual([]);

    await page.getByLabel('Authentication code').fill(await freshTotp(reviewer));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Review queue' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();

    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ name: '__Host-staff_session', httpOnly: true, secure: true, sameSite: 'Strict', path: '/' });
    expect(await page.evaluate('document.cookie')).toBe('');
    expect(await page.evaluate('[localStorage.length, sessionStorage.length]')).toEqual([0, 0]);
    // A reload recovers the session from the cookie, still with nothing in storage.
    await page.reload();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(await page.evaluate('[localStorage.length, sessionStorage.length, document.cookie]')).toEqual([0, 0, '']);
    // Signing out ends the session: the cookie is cleared and the sign-in form is back.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await context.cookies()).toEqual([]);
  });

  browserIt('shows the seeded cases oldest first with how long each has waited', async ({ newPage }) => {
    const tab = await newPage();
    await signIn(tab, await officer());
    const { page } = tab;
    await openQueue(page);
    const labels = [toApprove.customerId, toReject.customerId, 'PASSPORT', organization.businessName];
    for (const label of labels) await rowOf(page, label).waitFor();
    const rows = await page.getByRole('row').allTextContents();
    const positions = labels.map((label) => rows.findIndex((text) => text.includes(label)));
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    // Each row says how long it has waited: seconds or minutes at this age ("45 s", "2 min").
    for (const label of labels) expect(await rowOf(page, label).locator('time').textContent()).toMatch(/^\d+ (s|min)$/);
    await expectAccessible(page, 'the queue');
  });

  browserIt('fits the queue and a case page into a 1280 px wide window: no column clipped, nothing scrolls sideways', async ({ newPage }) => {
    const tab = await newPage();
    const reviewer = await officer();
    await signIn(tab, reviewer);
    const { page } = tab;
    expect(page.viewportSize()?.width).toBe(1280);
    await openQueue(page);
    // A claimed row is the widest: its claim names the reviewer and the row offers "Release".
    await rowOf(page, longNamed.businessName).getByRole('button', { name: 'Claim' }).click();
    const release = rowOf(page, longNamed.businessName).getByRole('button', { name: 'Release' });
    await release.waitFor();
    expect(await overflowOf(page, 'table.queue')).toBeLessThanOrEqual(0);
    expect(await overflowOf(page, '.table-wrap')).toBeLessThanOrEqual(0);
    expect(await overflowOf(page, 'html')).toBeLessThanOrEqual(0);
    // The last column's button lies inside the window, whole.
    const box = (await release.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(1280);
    await release.click();
    await rowOf(page, longNamed.businessName).getByRole('button', { name: 'Claim' }).waitFor();

    await openCase(page, longNamed.businessName);
    await page.getByRole('heading', { name: 'Ownership' }).waitFor();
    expect(await overflowOf(page, 'html')).toBeLessThanOrEqual(0);
    for (const table of await page.locator('.table-wrap').all()) expect(await table.evaluate((element: any) => element.scrollWidth - element.clientWidth)).toBeLessThanOrEqual(0);
  });

  browserIt('claims a case, and a second reviewer sees it claimed by the first', async ({ newPage }) => {
    const [reviewer, secondReviewer] = await Promise.all([officer(), officer()]);
    const first = await newPage();
    await signIn(first, reviewer);
    await openQueue(first.page);
    await rowOf(first.page, organization.businessName).getByRole('button', { name: 'Claim' }).click();
    await first.page.getByRole('status').filter({ hasText: `${organization.businessName}: Claimed by you` }).waitFor();

    const second = await newPage();
    await signIn(second, secondReviewer);
    await openQueue(second.page);
    const row = rowOf(second.page, organization.businessName);
    await row.filter({ hasText: `Claimed by ${reviewer.email}` }).waitFor();
    expect(await row.getByRole('button', { name: 'Claim' }).isDisabled()).toBe(true);
  });

  browserIt('shows a case with its PNG document decoded and the link to its workflow in the Temporal UI', async ({ newPage }) => {
    const tab = await newPage();
    await signIn(tab, await officer());
    const { page } = tab;
    await openCase(page, 'PASSPORT');
    const image = page.getByRole('img', { name: /passport/i });
    // The image loads lazily, as a reviewer scrolls to it.
    await image.scrollIntoViewIfNeeded();
    expect(await eventually(() => image.evaluate((img: any) => (img.complete ? img.naturalWidth : 0)), 8)).toBe(8);
    expect(await image.evaluate((img: any) => img.naturalHeight)).toBe(8);
    await expectAccessible(page, 'a case page with a document');
    expect(await overflowOf(page, 'html')).toBeLessThanOrEqual(0);

    await openCase(page, toApprove.customerId);
    const link = page.getByRole('link', { name: 'Open in Temporal UI' });
    const href = await link.getAttribute('href');
    expect(href).toContain(`${TEMPORAL_UI}/namespaces/${h.config.TEMPORAL_NAMESPACE}/workflows/`);
    expect(decodeURIComponent(href!)).toContain(toApprove.customerId);
    // Decoded for a compliance officer; the customer gave no tax id, which reads so (not "hidden").
    expect(await subjectField(page, 'Last name')).toBe('Review');
    expect(await subjectField(page, 'Tax ids')).toBe('not given');
  });

  browserIt('shows an operator the queue, the case and the Operations link, but no claim or decision', async ({ newPage }) => {
    const tab = await newPage();
    await signIn(tab, await enrolledStaff(h, ['OPERATOR']));
    const { page } = tab;
    const contentRequests: string[] = [];
    page.on('request', (request) => {
      if (/\/admin\/documents\/[^/]+\/content$/.test(new URL(request.url()).pathname)) contentRequests.push(request.url());
    });
    await page.getByRole('link', { name: 'Operations' }).click();
    await page.getByRole('heading', { name: 'Operations', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Stuck onboardings' }).waitFor();
    await page.getByRole('heading', { name: 'Failed onboardings' }).waitFor();
    await expectAccessible(page, 'the operations page');
    await openQueue(page);
    await rowOf(page, toApprove.customerId).waitFor();
    expect(await page.getByRole('button', { name: 'Claim' }).count()).toBe(0);
    await openCase(page, toApprove.customerId);
    await page.getByText('Decisions are taken by compliance officers.').waitFor();
    // Personal data is masked for an operator; a tax id nobody gave is not a hidden one.
    expect(await subjectField(page, 'Last name')).toBe('hidden');
    expect(await subjectField(page, 'Tax ids')).toBe('not given');
    for (const decision of ['Approve', 'Reject', 'Escalate']) expect(await page.getByRole('button', { name: decision, exact: true }).count()).toBe(0);

    // The organization's certificate is listed; its bytes are not the operator's to see, so none are asked for.
    await openCase(page, organization.businessName);
    const documents = page.getByRole('region', { name: 'Documents' });
    await documents.getByText('Not shown to your role').first().waitFor();
    expect(await documents.getByText(/Certificate of incorporation/).count()).toBeGreaterThan(0);
    expect(await documents.getByRole('img').count()).toBe(0);
    expect(await documents.getByRole('link', { name: /Download/ }).count()).toBe(0);
    await expectAccessible(page, "an operator's case page");
    expect(contentRequests).toEqual([]);
  });

  browserIt('approves an individual in manual review: the tenant sees KYC_APPROVED', async ({ newPage }) => {
    const tab = await newPage();
    await signIn(tab, await officer());
    const { page } = tab;
    await openCase(page, toApprove.customerId);
    await decide(page, 'Approve', 'Passport checked against the register', (dialog) => expectAccessible(dialog.page(), 'an open decision dialog'));
    await page.getByRole('status').filter({ hasText: 'Approved. Status: KYC_APPROVED' }).waitFor();
    expect(await onboardingStatus(toApprove)).toBe('KYC_APPROVED');
  });

  browserIt('holds a rejection for a second reviewer under four-eyes, and the second reviewer\'s confirmation rejects', async ({ newPage }) => {
    const [reviewer, secondReviewer] = await Promise.all([officer(), officer()]);
    const first = await newPage();
    await signIn(first, reviewer);
    await openCase(first.page, toReject.customerId);
    await decide(first.page, 'Reject', 'The document is forged');
    await first.page.getByRole('status').filter({ hasText: 'Waiting for a second reviewer' }).waitFor();
    expect(await onboardingStatus(toReject)).toBe('MANUAL_REVIEW');
    // The proposer may not confirm their own proposal.
    await first.page.getByText('Another compliance officer must confirm or decline your proposal.').waitFor();
    expect(await first.page.getByRole('button', { name: 'Reject', exact: true }).count()).toBe(0);

    const second = await newPage();
    await signIn(second, secondReviewer);
    await openCase(second.page, toReject.customerId);
    // The second reviewer is offered the proposed decision only, and reads the first one's reason before confirming.
    await second.page.getByRole('button', { name: 'Reject', exact: true }).waitFor();
    expect(await second.page.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    await decide(second.page, 'Reject', 'Agreed: the document is forged', async (dialog) => {
      await dialog.getByText('The first reviewer\'s reason: “The document is forged”').waitFor();
    });
    await second.page.getByRole('status').filter({ hasText: 'Rejected. Status: REJECTED' }).waitFor();
    expect(await eventually(() => onboardingStatus(toReject), 'REJECTED')).toBe('REJECTED');
  });

  browserIt('requests a re-upload of a document: the tenant sees REUPLOAD_REQUESTED with the reason', async ({ newPage }) => {
    const tab = await newPage();
    await signIn(tab, await officer());
    const { page } = tab;
    await openCase(page, 'PASSPORT');
    await decide(page, 'Request re-upload', 'The scan is cut off at the bottom');
    await page.getByRole('status').filter({ hasText: 'Re-upload requested. Status: REUPLOAD_REQUESTED' }).waitFor();
    const seen = await tenant.call('GET', `/api/v2.1/customer/${withDocument.customerId}/documents/${withDocument.documentId}`);
    expect(seen.body).toMatchObject({ status: 'REUPLOAD_REQUESTED', reason: 'The scan is cut off at the bottom' });
  });

  browserIt('accepts a document without a reason, where a rejection still needs one', async ({ newPage }) => {
    const tab = await newPage();
    await signIn(tab, await officer());
    const { page } = tab;
    await openCase(page, 'DRIVING_LICENCE');
    // A rejection's dialog will not confirm without a reason.
    await page.getByRole('button', { name: 'Reject', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    expect(await dialog.getByRole('textbox', { name: 'Reason' }).evaluate((area: any) => area.validity.valueMissing)).toBe(true);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });

    await page.getByRole('button', { name: 'Accept', exact: true }).click();
    expect(await dialog.getByRole('textbox', { name: /Reason/ }).evaluate((area: any) => area.required)).toBe(false);
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('status').filter({ hasText: 'Accepted. Status: ACCEPTED' }).waitFor();
    const seen = await tenant.call('GET', `/api/v2.1/customer/${toAccept.customerId}/documents/${toAccept.documentId}`);
    expect(seen.body).toMatchObject({ status: 'ACCEPTED' });
  });
});
