/**
 * The shell: resumes a cookie session on load (GET /staff/auth/session recovers the CSRF token into memory), shows
 * the sign-in page without one, and otherwise the header (navigation limited to what the roles allow, "Sign out"),
 * one role="status" region for outcomes, and the page of the current route.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError, messageOf, request, setCsrfToken, setUnauthorizedHandler } from './api/client';
import type { StaffSession } from './api/types';
import { EnrolPage } from './pages/enrol/enrol-page';
import { LoginPage } from './pages/login/login-page';
import { Pages } from './pages/pages';
import { hrefOf, useRoute } from './lib/router';
import { may, Session } from './lib/session';

type State = { kind: 'loading' } | { kind: 'signed-out'; notice?: string } | { kind: 'signed-in'; session: StaffSession };

export function App() {
  const [state, setState] = useState<State>({ kind: 'loading' });
  // Enrolment is for people without an account yet: it opens whatever the session.
  const enrolling = useRoute().page === 'enrol';

  const signedOut = useCallback((notice?: string) => {
    setCsrfToken(null);
    setState({ kind: 'signed-out', notice });
  }, []);

  const resume = useCallback(async () => {
    try {
      const { body } = await request<StaffSession>('GET', '/api/v2.1/staff/auth/session', { allowUnauthorized: true });
      setCsrfToken(body.csrfToken);
      setState({ kind: 'signed-in', session: body });
    } catch (error) {
      signedOut(error instanceof ApiError && error.status === 401 ? undefined : messageOf(error));
    }
  }, [signedOut]);

  useEffect(() => {
    setUnauthorizedHandler(() => signedOut('Your session has ended. Sign in again.'));
    void resume();
  }, [resume, signedOut]);

  if (enrolling) return <EnrolPage />;
  if (state.kind === 'loading') {
    return (
      <main id="main" class="login">
        <p>Loading…</p>
      </main>
    );
  }
  if (state.kind === 'signed-out') return <LoginPage notice={state.notice} onSignedIn={resume} />;

  async function signOut() {
    try {
      await request('POST', '/api/v2.1/staff/auth/logout', { allowUnauthorized: true });
    } catch {
      // The session is gone either way; the cookie is cleared by the answer when there was one.
    }
    signedOut('You have signed out.');
  }

  return <Shell session={state.session} onSignOut={signOut} />;
}

function Shell({ session, onSignOut }: { session: StaffSession; onSignOut: () => void }) {
  const route = useRoute();
  const [status, setStatus] = useState('');
  const announce = useCallback((message: string) => {
    // Cleared first so the same message twice is announced twice.
    setStatus('');
    setTimeout(() => setStatus(message), 50);
  }, []);
  // An outcome belongs to the page it happened on.
  useEffect(() => setStatus(''), [location.pathname]);
  const roles = session.staff.roles;
  const current = (page: string) => (route.page === page || (page === 'queue' && route.page === 'case') ? 'page' : undefined);
  return (
    <Session.Provider value={{ session, announce }}>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="app-header">
        <p class="app-name">Onboarding back office</p>
        <nav aria-label="Main">
          <ul>
            {may.readCases(roles) && (
              <li>
                <a href={hrefOf.queue()} aria-current={current('queue')}>
                  Review queue
                </a>
              </li>
            )}
            {may.operate(roles) && (
              <li>
                <a href={hrefOf.operations()} aria-current={current('operations')}>
                  Operations
                </a>
              </li>
            )}
          </ul>
        </nav>
        <div class="who">
          <span>
            {session.staff.email} <span class="roles">({roles.map((role) => role.toLowerCase().replace(/_/g, ' ')).join(', ')})</span>
          </span>
          <button type="button" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <p role="status" class={status ? 'status' : 'status empty'}>
          {status}
        </p>
        <Pages route={route} roles={roles} />
      </main>
    </Session.Provider>
  );
}
