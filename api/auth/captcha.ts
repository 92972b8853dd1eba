/**
 * Captcha checks for self-service registration. The HTTP verifier speaks the `siteverify` protocol that
 * reCAPTCHA, hCaptcha and Cloudflare Turnstile share: a form post of secret, response and remoteip answered by
 * `{ success, "error-codes"? }`.
 */
import { ServiceUnavailableError, ValidationError } from '../http/errors';

export interface CaptchaVerifier {
  /** True when the provider vouches for the token; throws ServiceUnavailableError when it cannot be asked. */
  verify(token: string, remoteIp?: string): Promise<boolean>;
}

/** The token development and tests send to see a refusal; every other token passes. */
export const DEV_REJECTED_CAPTCHA = 'invalid';

export function createDevCaptchaVerifier(): CaptchaVerifier {
  return { verify: async (token) => token !== DEV_REJECTED_CAPTCHA };
}

export interface HttpCaptchaOptions {
  /** The provider's siteverify endpoint, e.g. https://challenges.cloudflare.com/turnstile/v0/siteverify */
  url: string;
  secret: string;
  timeoutMs: number;
}

// The three providers name a bad configuration alike; that is our fault, not the customer's failed captcha.
const OUR_MISCONFIGURATION = new Set(['missing-input-secret', 'invalid-input-secret']);

export function createHttpCaptchaVerifier({ url, secret, timeoutMs }: HttpCaptchaOptions): CaptchaVerifier {
  const unavailable = () => new ServiceUnavailableError('Captcha verification is unavailable, please retry shortly');

  return {
    async verify(token, remoteIp) {
      const form = new URLSearchParams({ secret, response: token, ...(remoteIp ? { remoteip: remoteIp } : {}) });
      let answer: { success?: unknown; 'error-codes'?: unknown };
      try {
        const response = await fetch(url, { method: 'POST', body: form, signal: AbortSignal.timeout(timeoutMs) });
        if (!response.ok) throw unavailable();
        answer = (await response.json()) as typeof answer;
      } catch {
        // Network failure, timeout, provider error or a body that is not JSON: the customer did nothing wrong.
        throw unavailable();
      }
      if (typeof answer?.success !== 'boolean') throw unavailable();
      const errorCodes = Array.isArray(answer['error-codes']) ? answer['error-codes'] : [];
      if (errorCodes.some((code) => OUR_MISCONFIGURATION.has(code))) throw unavailable();
      return answer.success;
    },
  };
}

/**
 * Throws the documented 400 unless the token checks out. Callers check the captcha before anything else, so a
 * bot without a solved captcha cannot probe which e-mail addresses are registered.
 */
export async function requireSolvedCaptcha(verifier: CaptchaVerifier, token: string): Promise<void> {
  if (!(await verifier.verify(token))) {
    throw new ValidationError([{ field: 'captcha', message: 'Captcha verification failed' }]);
  }
}
