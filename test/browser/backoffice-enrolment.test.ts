/**
 * A new reviewer enrols in the back office's browser page, as they would with the setup token an administrator
 * handed over: a password (the token arriving in the link's `?token=` and leaving the address at once), the
 * authenticator set up from the page (the key read off the page, the code computed as an authenticator app does),
 * ten recovery codes shown once, then a sign-in with the new password and the next code that reaches the review
 * queue. A wrong code and a used setup token are refused with an alert. Headless Chromium against the real stack;
 * every step passes axe-core's WCAG 2.1 A/AA rules; nothing lands in the browser's storage.
 */
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { currentTotp } from '../../api/auth/totp';
import { expectAccessible, useBrowser } from '../support/browser';
import { startHarness, type Harness } from '../support/harness';
import { enrol, platformAdmin } from '../support/staff';

let h: Harness;

beforeAll(async () => {
  h = await startHarness('backoffice_enrolment');
}, 180_000);
afterAll(() => h?.close());

const { browserIt } = useBrowser();

/** A new COMPLIANCE_OFFICER account, not enrolled: its e-mail and the setup token the administrator hands over. */
async function newAccount(): Promise<{ staffId: string; email: string; setupToken: string }> {
  const admin = await platformAdmin(h);
  const email = `new.reviewer.${randomBytes(4).toString('hex')}@bank.example`;
  const created = await admin.call('POST', '/api/v2.1/admin/staff', { email, roles: ['COMPLIANCE_OFFICER'] });
  if (created.status !== 201) throw new Error(`staff account: ${created.status} ${JSON.stringify(created.body)}`);
  return { staffId: created.body.staffId, email, setupToken: created.body.setupToken };
}

/** The key the page shows for typing into an authenticator by hand, without its grouping spaces. */
const keyOnPage = async (page: Page) =>
  ((await page.locator('dt', { hasText: 'Key for typing in by hand' }).locator('xpath=following-sibling::dd[1]').textContent()) ?? '').replace(/\s+/g, '');

const storedItems = (page: Page) => page.evaluate('localStorage.length + sessionStorage.length') as Promise<number>;

describe('enrolment in the back office', () => {
  browserIt('enrols a new reviewer from the setup link, refuses a wrong code, and the reviewer then signs in to the queue', async ({ newPage }) => {
    const account = await newAccount();
    const password = `pw-${randomBytes(10).toString('hex')}`;
    const tab = await newPage();
    const { page } = tab;
    tab.expectFailure({ status: 400, path: '/api/v2.1/staff/auth/enrolment/confirmation' });

    // Step 1: the token comes prefilled from the link and leaves the address (and so the history).
    await page.goto(`${h.api.url}/backoffice/enrol?token=${encodeURIComponent(account.setupToken)}`);
    await page.getByRole('heading', { name: 'Set up your account' }).waitFor();
    expect(await page.getByLabel('Setup token').inputValue()).toBe(account.setupToken);
    expect(new URL(page.url()).search).toBe('');
    expect(new URL(page.url()).pathname).toBe('/backoffice/enrol');
    await expectAccessible(page, 'the enrolment page, step 1');

    // Two different passwords are caught before anything is sent.
    await page.getByLabel('New password').fill(password);
    await page.getByLabel('Repeat password').fill(`${password}x`);
    await page.getByRole('button', { name: 'Continue', exact: true }).click();
    await page.getByText('The two passwords differ.').waitFor();
    await page.getByLabel('Repeat password').fill(password);
    await page.getByRole('button', { name: 'Continue', exact: true }).click();

    // Step 2: the QR code (a PNG data URL, decoded) and the key to type by hand, the one the QR code carries.
    const qr = page.getByRole('img', { name: /QR code/ });
    await qr.waitFor();
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    expect(await qr.evaluate((img: any) => img.naturalWidth)).toBeGreaterThan(0);
    const secret = await keyOnPage(page);
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await expectAccessible(page, 'the enrolment page, step 2');

    // A code of ten minutes ago: well formed, not what the authenticator shows now.
    await page.getByLabel('Authentication code').fill(currentTotp(secret, Date.now() - 600_000));
    await page.getByRole('button', { name: 'Confirm' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/authenticator/i);
    await expectAccessible(page, 'the enrolment page, step 2 with its error');
    expect(await page.getByRole('list', { name: 'Recovery codes' }).count()).toBe(0);

    await page.getByLabel('Authentication code').fill(currentTotp(secret));
    await page.getByRole('button', { name: 'Confirm' }).click();

    // Step 3: ten recovery codes, shown once; nothing was put in the browser's storage.
    const codes = page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
    await codes.first().waitFor();
    expect(await codes.count()).toBe(10);
    expect(new Set(await codes.allTextContents()).size).toBe(10);
    await page.getByText(/Store these recovery codes/).waitFor();
    await expectAccessible(page, 'the enrolment page, step 3');
    expect(await storedItems(page)).toBe(0);

    // Sign-in with the new password and the next step's code (the step that confirmed enrolment is spent).
    await page.getByRole('link', { name: 'Continue to sign in' }).click();
    await page.getByLabel('E-mail').fill(account.email);
    await page.getByLabel('Password').fill(password);
    await page.getByLabel('Authentication code').fill(currentTotp(secret, Date.now() + 30_000));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Review queue' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(await storedItems(page)).toBe(0);
  });

  browserIt('reaches the enrolment page from the sign-in page and refuses a setup token already used', async ({ newPage }) => {
    const account = await newAccount();
    // Enrolled through the API: the token is spent.
    await enrol(h, account.staffId, account.email, account.setupToken);
    const tab = await newPage();
    const { page } = tab;
    tab.expectFailure({ status: 401, path: '/api/v2.1/staff/auth/enrolment' });

    await page.goto(`${h.api.url}/backoffice/`);
    await page.getByRole('link', { name: 'Set up your account' }).click();
    await page.getByRole('heading', { name: 'Set up your account' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/backoffice/enrol');
    expect(await page.getByLabel('Setup token').inputValue()).toBe('');

    const password = `pw-${randomBytes(10).toString('hex')}`;
    await page.getByLabel('Setup token').fill(account.setupToken);
    await page.getByLabel('New password').fill(password);
    await page.getByLabel('Repeat password').fill(password);
    await page.getByRole('button', { name: 'Continue', exact: true }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/setup token/i);
    // Still on the first step: no secret was issued.
    expect(await page.getByRole('img', { name: /QR code/ }).count()).toBe(0);
    await expectAccessible(page, 'the enrolment page refusing a used token');
  });
});
