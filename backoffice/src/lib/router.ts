/**
 * History routing under /backoffice/ (the API answers index.html for every deeper path): the pages are
 *   /backoffice/                               the first page the roles allow
 *   /backoffice/queue                          the review queue
 *   /backoffice/cases/{caseType}/{subjectId}   one case
 *   /backoffice/operations                     stuck and failed onboardings
 *   /backoffice/enrol                          a new staff account's enrolment (signed out)
 */
import { useEffect, useState } from 'preact/hooks';

export const BASE = '/backoffice';

export type Route =
  | { page: 'home' }
  | { page: 'queue' }
  | { page: 'case'; caseType: string; subjectId: string }
  | { page: 'operations' }
  | { page: 'enrol' }
  | { page: 'not-found' };

export function routeOf(pathname: string): Route {
  const path = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname;
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return { page: 'home' };
  if (parts.length === 1 && parts[0] === 'queue') return { page: 'queue' };
  if (parts.length === 1 && parts[0] === 'operations') return { page: 'operations' };
  if (parts.length === 1 && parts[0] === 'enrol') return { page: 'enrol' };
  if (parts.length === 3 && parts[0] === 'cases') return { page: 'case', caseType: parts[1], subjectId: parts[2] };
  return { page: 'not-found' };
}

export const hrefOf = {
  queue: () => `${BASE}/queue`,
  operations: () => `${BASE}/operations`,
  enrol: () => `${BASE}/enrol`,
  case: (caseType: string, subjectId: string) => `${BASE}/cases/${encodeURIComponent(caseType)}/${encodeURIComponent(subjectId)}`,
};

const listeners = new Set<() => void>();
let moved = false;

/**
 * Whether the person has moved within the app (a link, back/forward, signing in): a page's heading then takes
 * focus. On a fresh load it does not, so the first Tab still reaches the skip link.
 */
export const hasMoved = () => moved;
export function noteMove(): void {
  moved = true;
}

export function navigate(href: string, options: { replace?: boolean } = {}): void {
  if (href === location.pathname + location.search) return;
  // A redirect (replace) is not a move: /backoffice/ opening the queue on a fresh load keeps the skip link first.
  if (options.replace) history.replaceState(null, '', href);
  else {
    moved = true;
    history.pushState(null, '', href);
  }
  listeners.forEach((listener) => listener());
}

export function useRoute(): Route {
  const [pathname, setPathname] = useState(location.pathname);
  useEffect(() => {
    const update = () => setPathname(location.pathname);
    const popped = () => {
      moved = true;
      update();
    };
    listeners.add(update);
    addEventListener('popstate', popped);
    // A child's effect may have navigated before this (a parent's) effect subscribed.
    update();
    return () => {
      listeners.delete(update);
      removeEventListener('popstate', popped);
    };
  }, []);
  return routeOf(pathname);
}

/**
 * Same-page navigation for in-app links: a plain left click is routed here; a modified click (new tab, window)
 * and links elsewhere keep the browser's behaviour. Installed once on the document.
 */
export function interceptLinks(): void {
  document.addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const anchor = (event.target as Element | null)?.closest?.('a');
    if (!anchor || anchor.target || anchor.hasAttribute('download')) return;
    const url = new URL(anchor.href, location.href);
    if (url.origin !== location.origin || !url.pathname.startsWith(`${BASE}/`)) return;
    // A jump within the page (the skip link) stays the browser's.
    if (url.hash && url.pathname === location.pathname) return;
    event.preventDefault();
    navigate(url.pathname + url.search);
  });
}
