import { acceptedTotpStep, currentTotp, newRecoveryCodes, newTotpEnrolment, recoveryCodeDigest } from '../../api/auth/totp';

describe('TOTP', () => {
  it('enrols with an otpauth URI and a QR code, and accepts the code an authenticator shows', async () => {
    const enrolment = await newTotpEnrolment('officer@example.com', 'Onboarding');
    expect(enrolment.uri).toMatch(/^otpauth:\/\/totp\/Onboarding:officer%40example\.com\?/);
    expect(enrolment.qrCode).toMatch(/^data:image\/png;base64,/);
    const now = Date.now();
    expect(acceptedTotpStep(enrolment.secret, currentTotp(enrolment.secret, now), null, now)).toBe(Math.floor(now / 30_000));
  });

  it('refuses a code replayed in the same step, a code from two steps ago, and a malformed code', async () => {
    const { secret } = await newTotpEnrolment('a', 'b');
    const now = Date.now();
    const step = acceptedTotpStep(secret, currentTotp(secret, now), null, now)!;
    expect(acceptedTotpStep(secret, currentTotp(secret, now), step, now)).toBeUndefined();
    expect(acceptedTotpStep(secret, currentTotp(secret, now - 60_000), null, now)).toBeUndefined();
    expect(acceptedTotpStep(secret, '12345', null, now)).toBeUndefined();
  });

  it('makes distinct recovery codes whose digests match however they are typed', () => {
    const { codes, digests } = newRecoveryCodes();
    expect(new Set(codes).size).toBe(10);
    expect(recoveryCodeDigest(` ${codes[0].toUpperCase()} `)).toBe(digests[0]);
  });
});
