/**
 * Headless Chromium for the back office's browser tests: Debian's package (`/usr/bin/chromium`, or CHROMIUM_PATH),
 * driven by playwright-core, which never downloads a browser of its own. One browser per test file, a fresh
 * context (cookie jar, storage) per page a test opens, a laptop's viewport. Every page's console errors, uncaught
 * exceptions and content-security-policy violations are collected and must be absent when the test ends; a test
 * that provokes an error answer names it. On failure each open page is screenshotted into a temporary directory
 * the error names. `expectAccessible` runs axe-core's WCAG 2.1 A and AA rules on the page as it stands.
 */
import { accessSync, constants, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const VIEWPORT = { width: 1280, height: 800 };

export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new Error(
      `No Chromium at ${path}: the browser tests drive Debian's chromium package (apt-get install chromium, as .ci/run does) ` +
        'or the browser CHROMIUM_PATH names; playwright-core never downloads one.',
    );
  }
  return path;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: ['--no-sandbox'] });
}

/** An error answer a test provokes on purpose (e.g. a wrong code's 401), which Chromium logs to the console. */
export interface ExpectedFailure {
  status: number;
  path: string | RegExp;
}

/**
 * What every page may log without a fault (Chromium logs every failed request as a console error): the app asks on
 * load whether a cookie session lives, and a signed-out browser is answered 401.
 */
const SESSION_PROBE: ExpectedFailure = { status: 401, path: '/api/v2.1/staff/auth/session' };

export interface BrowserPage {
  page: Page;
  context: BrowserContext;
  /** Console errors, uncaught exceptions and CSP violations seen so far. */
  problems: string[];
  /** Lets this page log the failed request `status` to `path` (the test's own provoked refusals). */
  expectFailure(failure: ExpectedFailure): void;
}

export interface BrowserRun {
  /** A page in a fresh browser context: its own cookies and storage, as a second person at another laptop. */
  newPage(): Promise<BrowserPage>;
}

let screenshotDir: string | undefined;

/**
 * Declares the file's browser (launched before its tests, closed after) and returns `browserIt`, an `it` whose body
 * receives `newPage`. Contexts close at the end of each test; console errors and CSP violations fail it.
 */
export function useBrowser() {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  function browserIt(name: string, body: (run: BrowserRun) => Promise<void>, timeoutMs = 120_000): void {
    it(name, () => runInBrowser(browser, name, body), timeoutMs);
  }
  return { browserIt, browser: () => browser };
}

async function runInBrowser(browser: Browser | undefined, name: string, body: (run: BrowserRun) => Promise<void>): Promise<void> {
  if (!browser) throw new Error('The browser did not start (see the beforeAll error)');
  const pages: BrowserPage[] = [];
  const run: BrowserRun = {
    async newPage() {
      const opened = await openPage(browser);
      pages.push(opened);
      return opened;
    },
  };
  const problems = () => pages.flatMap((opened, index) => opened.problems.map((problem) => `page ${index + 1}: ${problem}`));
  try {
    await body(run);
    if (problems().length) throw new Error(`The pages logged errors or CSP violations:\n${problems().join('\n')}`);
  } catch (error) {
    const shots = await screenshots(pages, name);
    if (error instanceof Error) {
      // What the pages logged often says why a name never appeared.
      const logged = problems().length && !error.message.startsWith('The pages logged') ? `\nThe pages logged:\n${problems().join('\n')}` : '';
      const note = `${logged}${shots.length ? `\nScreenshots: ${shots.join(', ')}` : ''}`;
      error.message += note;
      // Jest prints the stack, which V8 wrote with the message as it was when the error was made.
      if (error.stack) error.stack = `${error.stack}${note}`;
    }
    throw error;
  } finally {
    await Promise.all(pages.map((opened) => opened.context.close().catch(() => undefined)));
  }
}

async function openPage(browser: Browser): Promise<BrowserPage> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  const problems: string[] = [];
  const expected: ExpectedFailure[] = [SESSION_PROBE];
  // CSP violations as the page sees them (the console message Chromium adds is collected too, below).
  await context.exposeBinding('__reportCspViolation', (_source, violation: string) => {
    problems.push(`CSP violation: ${violation}`);
  });
  // A string, not a function: the tests compile without the DOM's types.
  await context.addInitScript(`document.addEventListener('securitypolicyviolation', (event) =>
    window.__reportCspViolation(event.effectiveDirective + ' blocked ' + (event.blockedURI || 'inline') + ' (' + event.sourceFile + ':' + event.lineNumber + ')'));`);
  // Seconds, not Playwright's 30 s: a missing name fails fast and says which.
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const failed = /status of (\d{3})/.exec(message.text());
    const url = message.location().url;
    if (failed && expected.some((failure) => failure.status === Number(failed[1]) && matchesPath(url, failure.path))) return;
    problems.push(`console error: ${message.text()} (${url})`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  return { page, context, problems, expectFailure: (failure) => expected.push(failure) };
}

function matchesPath(url: string, path: string | RegExp): boolean {
  const pathname = url ? new URL(url).pathname : '';
  return typeof path === 'string' ? pathname === path : path.test(pathname);
}

async function screenshots(pages: BrowserPage[], testName: string): Promise<string[]> {
  screenshotDir ??= mkdtempSync(join(tmpdir(), 'backoffice-screenshots-'));
  const slug = testName.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
  const taken: string[] = [];
  for (const [index, opened] of pages.entries()) {
    const path = join(screenshotDir, `${slug}-page${index + 1}.png`);
    try {
      await opened.page.screenshot({ path, fullPage: true });
      taken.push(path);
    } catch {
      // A closed page has nothing to show.
    }
  }
  return taken;
}

/** Polls `read` until it answers `expected` (compared as JSON) or `timeoutMs` passes; answers the last value read. */
export async function eventually<T>(read: () => Promise<T>, expected: T, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (JSON.stringify(value) === JSON.stringify(expected) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** axe-core's bundle, read once: evaluated into a page by the DevTools protocol, not added as a <script>. */
let axeSource: string | undefined;

/** The rules: WCAG 2.0 and 2.1, levels A and AA (axe's tags); none is left out. */
const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core (WCAG 2.1 A and AA) on the page as it is now (an open dialog included) and fails naming each
 * violation: its rule, impact and the elements concerned. `context` says which screen it was ("the queue").
 *
 * The back office's CSP (`script-src 'self'`) refuses an injected <script> tag, and turning on bypassCSP would blind
 * the CSP checks every page runs under. Playwright's `page.evaluate` goes through the DevTools protocol's
 * Runtime.evaluate, which the page's CSP does not govern (it is the debugger, not page script), so axe's source is
 * evaluated that way; the page's own policy stays as it is, and a violation axe caused would still be reported.
 */
export async function expectAccessible(page: Page, context: string): Promise<void> {
  const violations = await axeViolations(page);
  if (violations.length === 0) return;
  const lines = violations.map(
    (violation) => `- ${violation.id} (${violation.impact ?? 'no impact given'}): ${violation.help}\n    ${violation.targets.join('\n    ')}`,
  );
  throw new Error(`Accessibility violations on ${context} (axe-core, WCAG 2.1 A/AA):\n${lines.join('\n')}`);
}

export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  if ((await page.evaluate('typeof window.axe')) === 'undefined') await page.evaluate(axeSource);
  // A string, as above: the tests compile without the DOM's types.
  return page.evaluate(`axe
    .run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(WCAG_21_AA)} }, resultTypes: ['violations'] })
    .then((result) => result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      targets: violation.nodes.map((node) => node.target.join(' ') + ': ' + (node.failureSummary || '').replace(/\\s+/g, ' ')),
    })))`) as Promise<AxeViolation[]>;
}
