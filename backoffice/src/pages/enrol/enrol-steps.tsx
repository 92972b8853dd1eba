/**
 * The three steps of the enrolment page. Each form shows the API's refusal in a role="alert" and a field's problem
 * next to its field; the parent owns the calls and what they answer.
 */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError, messageOf } from '../../api/client';
import { BASE } from '../../lib/router';
import { groupedInFours, qrSourceOf, secretOf } from './otpauth';

type Problems = Record<string, string | undefined>;

/** Runs `action`; answers the field problems the API named (by its field names) and an alert for the rest. */
async function attempt(action: () => Promise<void>, fields: Record<string, string>): Promise<{ problems: Problems; alert: string | null }> {
  try {
    await action();
    return { problems: {}, alert: null };
  } catch (caught) {
    const problems: Problems = {};
    if (caught instanceof ApiError && caught.status === 400) {
      for (const detail of caught.details) if (fields[detail.field]) problems[fields[detail.field]] ??= detail.message;
    }
    return { problems, alert: messageOf(caught) };
  }
}

function Field(props: {
  id: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  problem?: string;
  hint?: string;
  input: JSX.InputHTMLAttributes<HTMLInputElement>;
}) {
  const described = [props.hint ? `${props.id}-hint` : '', props.problem ? `${props.id}-error` : ''].join(' ').trim();
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        required
        value={props.value}
        aria-invalid={props.problem ? 'true' : undefined}
        aria-describedby={described || undefined}
        onInput={(event) => props.onInput(event.currentTarget.value)}
        {...props.input}
      />
      {props.hint && (
        <p class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      )}
      {props.problem && (
        <p class="field-error" id={`${props.id}-error`}>
          {props.problem}
        </p>
      )}
    </div>
  );
}

function Alert({ text }: { text: string | null }) {
  return text ? (
    <p role="alert" class="alert">
      {text}
    </p>
  ) : null;
}

export function PasswordStep({ initialToken, onSubmit }: { initialToken: string; onSubmit: (setupToken: string, password: string) => Promise<void> }) {
  const [token, setToken] = useState(initialToken);
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [problems, setProblems] = useState<Problems>({});
  const [alert, setAlert] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    setAlert(null);
    if (password !== repeat) {
      setProblems({ repeat: 'The two passwords differ.' });
      return;
    }
    setBusy(true);
    const outcome = await attempt(() => onSubmit(token.trim(), password), { setupToken: 'token', password: 'password' });
    setProblems(outcome.problems);
    setAlert(outcome.alert);
    setBusy(false);
  }

  return (
    <form onSubmit={submit}>
      <p>Use the setup token your administrator gave you. It works once, for a limited time.</p>
      <Field id="enrol-token" label="Setup token" value={token} onInput={setToken} problem={problems.token} input={{ type: 'text', autocomplete: 'off', spellcheck: false }} />
      <Field
        id="enrol-password"
        label="New password"
        value={password}
        onInput={setPassword}
        problem={problems.password}
        hint="12 to 128 characters."
        input={{ type: 'password', autocomplete: 'new-password', minLength: 12, maxLength: 128 }}
      />
      <Field id="enrol-repeat" label="Repeat password" value={repeat} onInput={setRepeat} problem={problems.repeat} input={{ type: 'password', autocomplete: 'new-password' }} />
      <Alert text={alert} />
      <button type="submit" class="primary" disabled={busy}>
        Continue
      </button>
    </form>
  );
}

export function AuthenticatorStep({ otpauthUri, qrCode, onSubmit }: { otpauthUri: string; qrCode: string; onSubmit: (totp: string) => Promise<void> }) {
  const [code, setCode] = useState('');
  const [problems, setProblems] = useState<Problems>({});
  const [alert, setAlert] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const secret = secretOf(otpauthUri);
  const qrSource = qrSourceOf(qrCode);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setAlert(null);
    const outcome = await attempt(() => onSubmit(code.replace(/\s+/g, '')), { totp: 'code' });
    setProblems(outcome.problems);
    setAlert(outcome.alert);
    setBusy(false);
  }

  return (
    <form onSubmit={submit}>
      <p>Scan this QR code with an authenticator app (one that shows 6-digit codes that change every 30 seconds).</p>
      {qrSource ? <img class="enrol-qr" src={qrSource} alt="QR code to add this account to an authenticator app" /> : <p class="notice">The QR code could not be shown: type the key below.</p>}
      {secret && (
        <dl class="enrol-steps">
          <dt>Key for typing in by hand</dt>
          <dd>
            <code class="enrol-key">{groupedInFours(secret)}</code>
          </dd>
        </dl>
      )}
      <Field
        id="enrol-code"
        label="Authentication code"
        value={code}
        onInput={setCode}
        problem={problems.code}
        hint="The 6 digits your authenticator app now shows for this account."
        input={{ type: 'text', autocomplete: 'one-time-code', inputMode: 'numeric', spellcheck: false }}
      />
      <Alert text={alert} />
      <button type="submit" class="primary" disabled={busy}>
        Confirm
      </button>
    </form>
  );
}

export function RecoveryCodesStep({ codes }: { codes: string[] }) {
  return (
    <>
      <p class="notice">
        Your account is ready. Store these recovery codes somewhere safe now (a password manager, or printed): they are
        shown only this once. Each one signs you in once in place of an authentication code if you lose your
        authenticator.
      </p>
      <h3 id="recovery-codes-title">Recovery codes</h3>
      <ol class="recovery-codes" aria-labelledby="recovery-codes-title">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <p>
        <a href={`${BASE}/`}>Continue to sign in</a>
      </p>
    </>
  );
}
