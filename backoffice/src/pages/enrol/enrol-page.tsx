/**
 * Enrolment of a new staff account in the browser, signed out: the setup token an administrator handed over (from
 * `?token=`, then dropped from the address so it does not linger in history) and a new password; then the
 * authenticator (QR code, or the key typed by hand) confirmed with a first code; then the recovery codes, shown once.
 * The secret and the codes live in this component's state only: nothing is stored in the browser.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { request } from '../../api/client';
import { PageHeading } from '../../components/page-heading';
import { AuthenticatorStep, PasswordStep, RecoveryCodesStep } from './enrol-steps';
import './enrol.css';

interface EnrolmentAnswer {
  otpauthUri: string;
  qrCode: string;
}

type Step =
  | { step: 'password' }
  | { step: 'authenticator'; setupToken: string; otpauthUri: string; qrCode: string }
  | { step: 'recovery-codes'; recoveryCodes: string[] };

const TITLES: Record<Step['step'], string> = {
  password: 'Step 1 of 3: choose a password',
  authenticator: 'Step 2 of 3: set up your authenticator',
  'recovery-codes': 'Step 3 of 3: keep your recovery codes',
};

/** The `token` query parameter, read once; the address then loses it (replaceState: no new history entry). */
function takeTokenFromAddress(): string {
  const params = new URLSearchParams(location.search);
  const token = params.get('token') ?? '';
  if (params.has('token')) {
    params.delete('token');
    const rest = params.toString();
    history.replaceState(null, '', `${location.pathname}${rest ? `?${rest}` : ''}${location.hash}`);
  }
  return token;
}

export function EnrolPage() {
  const [initialToken] = useState(takeTokenFromAddress);
  const [state, setState] = useState<Step>({ step: 'password' });
  const stepHeading = useRef<HTMLHeadingElement>(null);
  const first = useRef(true);

  // Each new step's heading takes focus, so a screen reader starts reading the new step (not on the first one).
  useEffect(() => {
    if (first.current) first.current = false;
    else stepHeading.current?.focus();
  }, [state.step]);

  async function start(setupToken: string, password: string) {
    const { body } = await request<EnrolmentAnswer>('POST', '/api/v2.1/staff/auth/enrolment', {
      body: { setupToken, password },
      allowUnauthorized: true,
    });
    setState({ step: 'authenticator', setupToken, otpauthUri: body.otpauthUri, qrCode: body.qrCode });
  }

  async function confirm(setupToken: string, totp: string) {
    const { body } = await request<{ recoveryCodes: string[] }>('POST', '/api/v2.1/staff/auth/enrolment/confirmation', {
      body: { setupToken, totp },
      allowUnauthorized: true,
    });
    setState({ step: 'recovery-codes', recoveryCodes: body.recoveryCodes });
  }

  return (
    <main id="main" class="login enrol-page">
      <PageHeading>Set up your account</PageHeading>
      <h2 ref={stepHeading} tabIndex={-1}>
        {TITLES[state.step]}
      </h2>
      {state.step === 'password' && <PasswordStep initialToken={initialToken} onSubmit={start} />}
      {state.step === 'authenticator' && (
        <AuthenticatorStep otpauthUri={state.otpauthUri} qrCode={state.qrCode} onSubmit={(totp) => confirm(state.setupToken, totp)} />
      )}
      {state.step === 'recovery-codes' && <RecoveryCodesStep codes={state.recoveryCodes} />}
    </main>
  );
}
