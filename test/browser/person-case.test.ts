/**
 * A PERSON case in headless Chromium, against the real stack: a director whose identity check the KYC sandbox sends
 * to MANUAL_REVIEW appears in the queue as "Person of an organization", labelled by the organization and role; its
 * case page offers "Approve" and "Reject" from pendingDecision; a rejection is held for a second reviewer (the
 * tenant's four-eyes rule), confirmed by one, and then the page links to the organization's own case, now in review.
 */
import { eventually, expectAccessible, useBrowser, type BrowserPage } from '../support/browser';
import { decide, openCase, openQueue, rowOf, signIn as signInAt } from '../support/backoffice-pages';
import { enrolledStaff, fourEyesTenant } from '../support/backoffice-seed';
import { startHarness, type Harness } from '../support/harness';
import { personInManualReview } from '../support/review-cases';
import type { EnrolledStaff } from '../support/staff';
import type { TenantSession } from '../support/tenant-client';

let h: Harness;
let tenant: TenantSession;
let person: Awaited<ReturnType<typeof personInManualReview>>;

beforeAll(async () => {
  h = await startHarness('person_case_browser');
  tenant = await fourEyesTenant(h);
  person = await personInManualReview(h, tenant);
}, 120_000);
afterAll(() => h?.close());

const { browserIt } = useBrowser();
const signIn = (tab: BrowserPage, who: EnrolledStaff) => signInAt(tab, h.api.url, who);
const officer = () => enrolledStaff(h, ['COMPLIANCE_OFFICER']);
const organizationStatus = async () => (await tenant.call('GET', `${person.path}/onboarding`)).body.status;

describe('a person of an organization in the back office', () => {
  browserIt('is in the queue, decided on its page under four-eyes, and then links to the organization’s case', async ({ newPage }) => {
    const [reviewer, secondReviewer] = await Promise.all([officer(), officer()]);
    const first = await newPage();
    await signIn(first, reviewer);
    await openQueue(first.page);
    const row = rowOf(first.page, `${person.businessName}: director`);
    await row.filter({ hasText: 'Person of an organization' }).filter({ hasText: 'POSSIBLE_WATCHLIST_MATCH' }).waitFor();

    await openCase(first.page, `${person.businessName}: director`);
    await first.page.getByRole('heading', { level: 1, name: `Person of an organization ${person.verificationId}` }).waitFor();
    await expectAccessible(first.page, "a person's case page");
    await first.page.getByText('its own case is not waiting on staff').waitFor();
    await first.page.getByRole('button', { name: 'Approve', exact: true }).waitFor();
    await decide(first.page, 'Reject', 'Watchlist match confirmed');
    await first.page.getByRole('status').filter({ hasText: 'Waiting for a second reviewer' }).waitFor();
    expect(await organizationStatus()).toBe('ONBOARDING');

    const second = await newPage();
    await signIn(second, secondReviewer);
    await openCase(second.page, `${person.businessName}: director`);
    await decide(second.page, 'Reject', 'Agreed, same person', async (dialog) => {
      await dialog.getByText('The first reviewer\'s reason: “Watchlist match confirmed”').waitFor();
    });
    await second.page.getByRole('status').filter({ hasText: 'Rejected. Status: REJECTED' }).waitFor();

    // The rejected director sends the organization to review: its own case, linked from the person's page.
    expect(await eventually(organizationStatus, 'MANUAL_REVIEW')).toBe('MANUAL_REVIEW');
    await second.page.reload();
    await second.page.getByRole('link', { name: "Open the organization's case" }).click();
    await second.page.getByRole('heading', { level: 1, name: `Organization ${person.id}` }).waitFor();
    await second.page.getByRole('button', { name: 'Approve', exact: true }).waitFor();
  });
});
