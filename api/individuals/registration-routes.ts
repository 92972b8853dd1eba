import { z } from '../http/openapi';
import type { Mount } from '../http/route';
import { mountRoute } from '../http/route';
import { tenantOf } from '../auth/guards';
import { CUSTOMER_STATUSES } from '../../common/statuses';
import { emailAddress, password, personName, phoneNumber } from '../schemas/customer-fields';
import type { Request } from 'express';
import type { createRegistrationService, IndividualRegistrationRequest } from './registration';
import { requireSolvedCaptcha, type CaptchaVerifier } from '../auth/captcha';

export const individualRegistrationBody = z
  .strictObject({
    firstName: personName,
    lastName: personName,
    email: emailAddress,
    password,
    captcha: z.string().min(1, 'Captcha token is required'),
    termsAccepted: z.literal(true, { error: 'Terms and conditions must be accepted' }),
    marketingConsent: z.boolean().default(false),
    phone: phoneNumber.optional(),
  })
  .openapi('IndividualRegistration');

export const registrationResponse = z
  .object({
    customerId: z.string().openapi({ example: 'cust_0f4c2a9b7d1e3f5a6b8c9d0e' }),
    email: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    status: z.enum(CUSTOMER_STATUSES),
    createdAt: z.iso.datetime(),
    verificationEmailSent: z.boolean(),
  })
  .openapi('RegistrationResponse');

export function mountIndividualRoutes(mount: Mount, registration: ReturnType<typeof createRegistrationService>, captcha: CaptchaVerifier) {
  mountRoute(mount, {
    method: 'post',
    path: '/api/v2.1/customer/individual/registration',
    summary: 'Register an individual customer and start their onboarding',
    tag: 'Individual customers',
    security: 'tenant',
    capability: 'SCT01',
    body: individualRegistrationBody,
    responses: {
      201: { description: 'Customer registered; a verification code was e-mailed', schema: registrationResponse },
      400: { description: 'Invalid input, or the e-mail address is already registered' },
      401: { description: 'Missing or invalid access token' },
      403: { description: 'X-Tenant-ID is not the token\'s tenant' },
    },
    handler: registerWithCaptcha(registration, captcha),
  });
}

/** Both registration versions: the captcha first (a bot cannot probe which e-mails exist), then one service. */
export function registerWithCaptcha(registration: ReturnType<typeof createRegistrationService>, captcha: CaptchaVerifier) {
  return async ({ body, req }: { body: IndividualRegistrationRequest & { captcha: string }; req: Request }) => {
    const { captcha: token, ...request } = body;
    await requireSolvedCaptcha(captcha, token);
    return { status: 201, body: await registration.registerIndividual(tenantOf(req), request) };
  };
}
