/**
 * Sign-in with e-mail, password and an authentication code: the authenticator's 6 digits (TOTP) or one of the
 * recovery codes. The API sets the HttpOnly session cookie; the CSRF token it answers stays in memory.
 */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError, messageOf, request } from '../../api/client';
import { hrefOf, noteMove } from '../../lib/router';

type Field = 'email' | 'password' | 'code';

/** The API's field names for the one "Authentication code" input. */
const FIELD_OF: Record<string, Field> = { email: 'email', password: 'password', totp: 'code', recoveryCode: 'code' };

export function LoginPage({ notice, onSignedIn }: { notice?: string; onSignedIn: () => Promise<void> }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<Field, string>>>({});
  const [alert, setAlert] = useState<string | null>(null);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setFieldErrors({});
    setAlert(null);
    const trimmed = code.replace(/\s+/g, '');
    const secondFactor = /^\d{6}$/.test(trimmed) ? { totp: trimmed } : { recoveryCode: code.trim() };
    try {
      await request('POST', '/api/v2.1/staff/auth/login', {
        body: { email: email.trim(), password, ...secondFactor, session: 'cookie' },
        allowUnauthorized: true,
      });
      // The form goes away: the page that replaces it takes focus.
      noteMove();
      await onSignedIn();
    } catch (caught) {
      const errors: Partial<Record<Field, string>> = {};
      if (caught instanceof ApiError && caught.status === 400) {
        for (const detail of caught.details) {
          const field = FIELD_OF[detail.field];
          if (field && !errors[field]) errors[field] = detail.message;
        }
      }
      setFieldErrors(errors);
      if (Object.keys(errors).length === 0) setAlert(messageOf(caught));
      setBusy(false);
    }
  }

  const field = (name: Field, label: string, input: JSX.InputHTMLAttributes<HTMLInputElement>, value: string, set: (v: string) => void) => (
    <div class="field">
      <label for={`login-${name}`}>{label}</label>
      <input
        id={`login-${name}`}
        name={name}
        required
        value={value}
        aria-invalid={fieldErrors[name] ? 'true' : undefined}
        aria-describedby={[name === 'code' ? 'login-code-hint' : '', fieldErrors[name] ? `login-${name}-error` : ''].join(' ').trim() || undefined}
        onInput={(event) => set(event.currentTarget.value)}
        {...input}
      />
      {name === 'code' && (
        <p class="hint" id="login-code-hint">
          The 6 digits your authenticator app shows, or one of your recovery codes.
        </p>
      )}
      {fieldErrors[name] && (
        <p id={`login-${name}-error`} class="field-error">
          {fieldErrors[name]}
        </p>
      )}
    </div>
  );

  return (
    <main id="main" class="login">
      <h1>Sign in to the back office</h1>
      {notice && <p class="notice">{notice}</p>}
      <form onSubmit={submit} class="login-form">
        {field('email', 'E-mail', { type: 'email', autocomplete: 'username' }, email, setEmail)}
        {field('password', 'Password', { type: 'password', autocomplete: 'current-password' }, password, setPassword)}
        {field('code', 'Authentication code', { type: 'text', autocomplete: 'one-time-code', inputMode: 'numeric', spellcheck: false }, code, setCode)}
        {alert && (
          <p role="alert" class="alert">
            {alert}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          Sign in
        </button>
      </form>
      <p>
        New here, with a setup token? <a href={hrefOf.enrol()}>Set up your account</a>
      </p>
    </main>
  );
}
