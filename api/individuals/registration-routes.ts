import { z } from '../http/openapi';
import type { Mount } from '../http/route';
import { mountRoute } from '../http/route';
import { tenantOf } from '../auth/guards';
import { CUSTOMER_STATUSES } from '../../common/statuses';
import { emailAddress, password, personName, phoneNumber } from '../schemas/customer-fields';
import type { Request } from 'express';
import type { createRegistrationService, IndividualRegistrationRequest } from './registration';
import { requireSolvedCaptcha, type CaptchaVerifier } from '../auth/captcha';
import type { TenantAccessService } from '../tenancy/access';

/** What both captcha registration routes need: the service, the captcha check, and the request's tenant. */
export interface CaptchaRegistrationDeps {
  registration: Pick<ReturnType<typeof createRegistrationService>, 'registerIndividual'>;
  captcha: CaptchaVerifier;
  tenants: Pick<TenantAccessService, 'tenantForRequest'>;
}

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

export function mountIndividualRoutes(mount: Mount, deps: CaptchaRegistrationDeps) {
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
    handler: registerWithCaptcha(deps),
  });
}

/** Both registration versions: the captcha first (a bot cannot probe which e-mails exist), then one service. */
export function registerWithCaptcha({ registration, captcha, tenants }: CaptchaRegistrationDeps) {
  return async ({ body, req }: { body: IndividualRegistrationRequest & { captcha: string }; req: Request }) => {
    const { captcha: token, ...request } = body;
    await requireSolvedCaptcha(captcha, token);
    const tenant = await tenants.tenantForRequest(req, tenantOf(req));
    return { status: 201, body: await registration.registerIndividual(tenant, request) };
  };
}
