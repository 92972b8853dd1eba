/** Callback verification: only a body signed with our secret, recently, and shaped like a KYC decision gets through. */
import { Webhook } from 'standardwebhooks';
import { ValidationError } from '../../api/http/errors';
import { InvalidWebhookSignatureError, newWebhookSecret, verifyKycWebhook } from '../../api/webhooks/kyc-signature';

const secret = newWebhookSecret();
const decision = { checkId: 'chk_1', reference: 'ref_1', status: 'REJECTED', reason: 'IDENTITY_NOT_VERIFIED' };

function signed(body: string, { key = secret, sentAt = new Date(), id = 'msg_1' } = {}): Record<string, string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
    'webhook-signature': new Webhook(key).sign(id, sentAt, body),
  };
}

describe('verifyKycWebhook', () => {
  it('returns the payload of a correctly signed callback, whatever the letter case of the header names', () => {
    const body = JSON.stringify(decision);
    const headers = Object.fromEntries(Object.entries(signed(body)).map(([name, value]) => [name.replace(/^w/, 'W'), value]));
    expect(verifyKycWebhook(secret, body, headers)).toEqual(decision);
    expect(verifyKycWebhook(secret, Buffer.from(body), signed(body))).toEqual(decision);
  });

  it('refuses a body changed after signing', () => {
    const body = JSON.stringify(decision);
    const tampered = body.replace('REJECTED', 'APPROVED');
    expect(() => verifyKycWebhook(secret, tampered, signed(body))).toThrow(InvalidWebhookSignatureError);
  });

  it('refuses a callback signed with another secret', () => {
    const body = JSON.stringify(decision);
    expect(() => verifyKycWebhook(secret, body, signed(body, { key: newWebhookSecret() }))).toThrow(InvalidWebhookSignatureError);
  });

  it('refuses a callback without signature headers, answering 401 INVALID_SIGNATURE', () => {
    const body = JSON.stringify(decision);
    const { 'webhook-signature': _dropped, ...unsigned } = signed(body);
    const attempt = () => verifyKycWebhook(secret, body, unsigned);
    expect(attempt).toThrow(InvalidWebhookSignatureError);
    expect(attempt).toThrow(expect.objectContaining({ status: 401, code: 'INVALID_SIGNATURE' }));
  });

  it('refuses a correctly signed callback that is older than five minutes (a replay)', () => {
    const body = JSON.stringify(decision);
    const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
    expect(() => verifyKycWebhook(secret, body, signed(body, { sentAt: tenMinutesAgo }))).toThrow(
      expect.objectContaining({ reason: expect.stringMatching(/too old/) }),
    );
  });

  it('refuses a signed body that is not a KYC decision as a validation error', () => {
    const body = JSON.stringify({ ...decision, status: 'MAYBE' });
    expect(() => verifyKycWebhook(secret, body, signed(body))).toThrow(ValidationError);
  });
});

describe('newWebhookSecret', () => {
  it('makes a fresh whsec_ secret of 32 random bytes each time', () => {
    const first = newWebhookSecret();
    expect(first).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(first.slice('whsec_'.length), 'base64')).toHaveLength(32);
    expect(newWebhookSecret()).not.toBe(first);
  });
});
