/**
 * The README's screenshots of the back office (`npm run screenshots`, outside `npm test`): a realistic queue (two
 * tenants, individuals the KYC provider flagged or never answered for, a passport to review, an organization with a
 * rejected director, one case claimed) and a case page with its document, taken in the browser tests' Chromium at a
 * laptop's viewport and written to docs/.
 */
import { join } from 'node:path';
import { useBrowser } from '../support/browser';
import { enrolledStaff } from '../support/backoffice-seed';
import { individualInManualReview, organizationInReview } from '../support/review-cases';
import { openCase, openQueue, rowOf, signIn } from '../support/backoffice-pages';
import { upload } from '../support/documents';
import { startHarness, type Harness } from '../support/harness';
import { readyForKyc, waitForStatus } from '../support/journey';
import { expectStatus } from '../support/organization-journey';
import { createTenant, http } from '../support/tenant-client';
import { staffHeaders } from '../support/staff';

const DOCS = join(__dirname, '..', '..', 'docs');

let h: Harness;
afterAll(() => h?.close());

const { browserIt } = useBrowser();

/** A passport specimen drawn by the browser itself, so the case page shows a document that looks like one. */
const SPECIMEN = `<body style="margin:0;font:15px sans-serif">
  <div style="width:520px;height:340px;background:linear-gradient(135deg,#dfe9f3,#f7f1e3);border:2px solid #6b7a8f;border-radius:14px;padding:22px;box-sizing:border-box">
    <div style="display:flex;justify-content:space-between;font-weight:bold;letter-spacing:2px;color:#243b55"><span>PASSPORT</span><span>SPECIMEN</span></div>
    <div style="display:flex;gap:22px;margin-top:22px">
      <div style="width:120px;height:150px;background:#b8c4d6;border-radius:6px"></div>
      <div style="line-height:1.7;color:#1d2733">Surname<br><b>REVIEW</b><br>Given names<br><b>AMELIA</b><br>Nationality<br><b>UNITED STATES OF AMERICA</b></div>
    </div>
    <div style="margin-top:26px;font-family:monospace;font-size:14px;color:#1d2733">P&lt;USAREVIEW&lt;&lt;AMELIA&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;&lt;</div>
  </div></body>`;

browserIt(
  'writes docs/backoffice-queue.png and docs/backoffice-case.png',
  async ({ newPage }) => {
    h = await startHarness('backoffice_screens', { env: { TEMPORAL_UI_URL: 'http://localhost:8233' } });
    const reviewer = await enrolledStaff(h, ['COMPLIANCE_OFFICER']);
    const harbour = await createTenant(h, 'Harbour Bank');
    const northwind = await createTenant(h, 'Northwind Payments');
    const quickPolls = await http(h.api.url, 'PUT', `/api/v2.1/admin/tenants/${northwind.tenantId}/settings`, {
      body: { kycResultTimeoutSeconds: 2 },
      headers: await staffHeaders(h, 'PLATFORM_ADMIN'),
    });
    expect(quickPolls.status).toBe(200);

    const amelia = await individualInManualReview(h, harbour, { firstName: 'Amelia' });
    const tab = await newPage();
    await tab.page.setViewportSize({ width: 520, height: 340 });
    await tab.page.setContent(SPECIMEN);
    const specimen = await tab.page.screenshot({ type: 'png' });
    await expectStatus(upload(h, harbour, amelia.customerId, { bytes: specimen, fileName: 'passport.png', contentType: 'image/png', fields: { type: 'PASSPORT' } }), 201);
    await individualInManualReview(h, northwind, { firstName: 'Jonas' });
    // The provider never answers for this one: the poll after the timeout hands it to staff with its own reason.
    const silent = await readyForKyc(h, northwind, { firstName: 'Priya', lastName: 'Silent' });
    await expectStatus(northwind.call('POST', `${silent.path}/verification`), 202);
    await waitForStatus(northwind, silent.path, 'MANUAL_REVIEW', 20_000);
    // The KYB sandbox rejects a business name with `Reject` in it.
    const org = await organizationInReview(h, harbour, 'Reject Freight Logistics');
    await individualInManualReview(h, harbour, { firstName: 'Tomás' });

    await tab.page.setViewportSize({ width: 1280, height: 800 });
    await signIn(tab, h.api.url, reviewer);
    await openQueue(tab.page);
    await rowOf(tab.page, org.businessName).getByRole('button', { name: 'Claim' }).click();
    await rowOf(tab.page, org.businessName).filter({ hasText: 'Claimed by you' }).waitFor();
    // Nothing clipped at the README's size: the table fits its container, the page does not scroll sideways.
    const overflow = (selector: string) => tab.page.locator(selector).first().evaluate((element: any) => element.scrollWidth - element.clientWidth);
    expect(await overflow('.table-wrap')).toBeLessThanOrEqual(0);
    expect(await overflow('html')).toBeLessThanOrEqual(0);
    await tab.page.screenshot({ path: join(DOCS, 'backoffice-queue.png') });

    await openCase(tab.page, amelia.customerId);
    const image = tab.page.getByRole('img', { name: /passport/i });
    await image.waitFor();
    expect(await overflow('html')).toBeLessThanOrEqual(0);
    await tab.page.screenshot({ path: join(DOCS, 'backoffice-case.png'), fullPage: true });
  },
  300_000,
);
