/**
 * The back office's pages as a reviewer uses them, by accessible names only (labels and roles, as a screen reader
 * finds them): signing in, the queue's rows, a case, a decision's dialog. Shared by the browser tests and the
 * README's screenshots.
 */
import type { Locator, Page } from 'playwright-core';
import type { BrowserPage } from './browser';
import { freshTotp } from './backoffice-seed';
import type { EnrolledStaff } from './staff';

export async function signIn({ page }: BrowserPage, baseUrl: string, who: EnrolledStaff): Promise<void> {
  await page.goto(`${baseUrl}/backoffice/`);
  await page.getByLabel('E-mail').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByLabel('Authentication code').fill(await freshTotp(who));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** The queue's row naming `label` (a customer id, a document type, an organization name). */
export const rowOf = (page: Page, label: string | RegExp) => page.getByRole('row').filter({ hasText: label });

export async function openQueue(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Review queue' }).click();
}

export async function openCase(page: Page, label: string): Promise<void> {
  await openQueue(page);
  await rowOf(page, label).getByRole('link', { name: 'Open case' }).click();
}

/** Clicks a decision's button, gives the reason in its dialog (after `read`ing it, when given) and confirms. */
export async function decide(page: Page, button: string, reason: string, read?: (dialog: Locator) => Promise<void>): Promise<void> {
  await page.getByRole('button', { name: button, exact: true }).click();
  const dialog = page.getByRole('dialog');
  await read?.(dialog);
  await dialog.getByRole('textbox', { name: 'Reason' }).fill(reason);
  await dialog.getByRole('button', { name: 'Confirm' }).click();
}

/** Whether `target` holds the keyboard focus. */
export const isFocused = (target: Locator) => target.evaluate((element) => element === (element.ownerDocument as any).activeElement);

/**
 * Presses Tab (as a keyboard user does) until `target` holds the focus; fails naming `target` when `maxPresses`
 * presses never reach it (it is not in the tab order, or is hidden).
 */
export async function tabTo(page: Page, target: Locator, maxPresses = 100): Promise<void> {
  await target.waitFor();
  for (let presses = 0; presses < maxPresses; presses++) {
    await page.keyboard.press('Tab');
    if (await isFocused(target)) return;
  }
  throw new Error(`${maxPresses} presses of Tab never reached ${target}`);
}

/**
 * Waits for the page's status region to announce `text`. A decision's answer waits on its workflow, which on a
 * loaded machine takes longer than a name's usual wait: hence the longer default.
 */
export async function announced(page: Page, text: string | RegExp, timeoutMs = 45_000): Promise<Locator> {
  const status = page.getByRole('status').filter({ hasText: text });
  await status.waitFor({ timeout: timeoutMs });
  return status;
}
