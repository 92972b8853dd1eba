/**
 * The v1 registration route of source document 000: POST /api/v1/customers with an X-API-Key. It checks the
 * captcha, then registers through the same service as the v2.1 route, so the workflow and the answer are the same.
 */
import { z } from '../http/openapi';
import { mountRoute, type Mount } from '../http/route';
import { emailAddress, password, personName } from '../schemas/customer-fields';
import { registerWithCaptcha, registrationResponse, type CaptchaRegistrationDeps } from './registration-routes';

/** Exactly the document's fields; unlike the v2.1 body there is no `phone`, so v1 refuses one as unknown. */
export const v1CustomerBody = z
  .strictObject({
    firstName: personName,
    lastName: personName,
    email: emailAddress,
    password,
    captcha: z.string().min(1, 'Captcha token is required'),
    termsAccepted: z.literal(true, { error: 'Terms and conditions must be accepted' }),
    marketingConsent: z.boolean().default(false),
  })
  .openapi('V1CustomerRegistration');

export function mountV1Routes(mount: Mount, deps: CaptchaRegistrationDeps) {
  mountRoute(mount, {
    method: 'post',
    path: '/api/v1/customers',
    summary: 'Register an individual customer (v1, X-API-Key) and start their onboarding',
    tag: 'Individual customers',
    security: 'apiKey',
    capability: 'SCT01',
    body: v1CustomerBody,
    responses: {
      201: { description: 'Customer registered; a verification code was e-mailed', schema: registrationResponse },
      400: { description: 'Invalid input, a failed captcha, or the e-mail address is already registered' },
      401: { description: 'Missing or invalid API key' },
      503: { description: 'The captcha provider or another dependency is unavailable' },
    },
    // No remote IP goes to the captcha provider: the caller is the tenant's backend, not the customer.
    handler: registerWithCaptcha(deps),
  });
}
