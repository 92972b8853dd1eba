/** Request and response shapes of the staff routes (accounts, enrolment, login, sessions). */
import { STAFF_ROLES } from '../../common/access';
import { z } from '../http/openapi';
import { emailAddress } from '../schemas/customer-fields';
import { idOf, tenantId } from '../schemas/params';

export const staffId = idOf('stf', 'stf_2c9e4a1b7d3f5e6a8b0c1d2e');
export const sessionId = idOf('sss', 'sss_7a1c3e5b9d2f4a6c8e0b1d3f');

const staffEmail = emailAddress.transform((email) => email.toLowerCase());
const roles = z
  .array(z.enum(STAFF_ROLES))
  .min(1, 'Must name at least one role')
  .refine((list) => new Set(list).size === list.length, 'Must not repeat a role');

/** TENANT_ADMIN is an account of its own bound to one tenant; every other role works across tenants. */
const rolesAndTenant = z.strictObject({ roles, tenantId: tenantId.optional() });
type RolesAndTenant = z.infer<typeof rolesAndTenant>;
function checkTenantBinding(value: RolesAndTenant, ctx: z.RefinementCtx) {
  const tenantAdmin = value.roles.includes('TENANT_ADMIN');
  if (tenantAdmin && value.roles.length > 1) ctx.addIssue({ code: 'custom', path: ['roles'], message: 'TENANT_ADMIN is held alone' });
  if (tenantAdmin && !value.tenantId) ctx.addIssue({ code: 'custom', path: ['tenantId'], message: 'Required for TENANT_ADMIN' });
  if (!tenantAdmin && value.tenantId) ctx.addIssue({ code: 'custom', path: ['tenantId'], message: 'Only a TENANT_ADMIN names a tenant' });
}

export const setRolesBody = rolesAndTenant.superRefine(checkTenantBinding).openapi('StaffRoles');
export const newStaffBody = rolesAndTenant
  .extend({ email: staffEmail })
  .superRefine(checkTenantBinding)
  .openapi('NewStaffAccount');
export const bootstrapBody = z.strictObject({ email: staffEmail }).openapi('StaffBootstrap');

export const staffAccountSchema = z
  .object({
    staffId,
    email: z.string(),
    roles: z.array(z.enum(STAFF_ROLES)),
    tenantId: z.string().optional(),
    status: z.enum(['PENDING_ENROLMENT', 'ACTIVE', 'DISABLED']),
    createdAt: z.string(),
  })
  .openapi('StaffAccount');

export const createdStaffSchema = staffAccountSchema
  .extend({
    setupToken: z.string().openapi({ description: 'Shown once; only a digest is stored. The person enrols with it.' }),
    setupExpiresAt: z.string(),
  })
  .openapi('CreatedStaffAccount');

const setupToken = z.string().min(1).max(200);
const totp = z.string().regex(/^\d{6}$/, 'Must be the 6 digits the authenticator shows');
const password = z.string().min(12, 'Must be at least 12 characters').max(128, 'Must be at most 128 characters');

export const enrolmentBody = z.strictObject({ setupToken, password }).openapi('StaffEnrolment');
export const enrolmentAnswer = z
  .object({
    otpauthUri: z.string().openapi({ description: 'otpauth://totp/… for an authenticator app; it holds the secret, shown only now' }),
    qrCode: z.string().openapi({ description: 'The same URI as a PNG data URL' }),
  })
  .openapi('StaffTotpEnrolment');
export const confirmationBody = z.strictObject({ setupToken, totp }).openapi('StaffEnrolmentConfirmation');
export const recoveryCodesAnswer = z
  .object({ recoveryCodes: z.array(z.string()).openapi({ description: 'Ten single-use codes, shown only now' }) })
  .openapi('StaffRecoveryCodes');

export const loginBody = z
  .strictObject({
    email: staffEmail,
    password: z.string().min(1).max(128),
    totp: totp.optional(),
    recoveryCode: z.string().min(1).max(64).optional(),
    session: z
      .enum(['token', 'cookie'])
      .optional()
      .openapi({ description: 'token (default): the answer carries a bearer token. cookie: for the back office, the session is set as an HttpOnly cookie and the answer carries its CSRF token instead' }),
  })
  .superRefine((value, ctx) => {
    if ((value.totp === undefined) === (value.recoveryCode === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['totp'], message: 'Give either totp or recoveryCode' });
    }
  })
  .openapi('StaffLogin');

const sessionFields = {
  sessionId,
  staffId: z.string().openapi({ description: 'The signed-in staff member' }),
  expiresAt: z.string().openapi({ description: 'The absolute end; the session also ends after idleTimeoutSeconds without a request' }),
  idleTimeoutSeconds: z.number().int(),
};
const csrfToken = z.string().openapi({ description: 'Send as X-CSRF-Token on every POST, PUT, PATCH and DELETE made with the cookie; keep it in memory only' });

export const sessionAnswer = z
  .object({ token: z.string().openapi({ description: 'Send as Authorization: Bearer; only a digest is stored' }), ...sessionFields })
  .openapi('StaffSession');

export const cookieSessionAnswer = z
  .object({ csrfToken, ...sessionFields })
  .openapi('StaffCookieSession', { description: 'The session itself is in the __Host-staff_session cookie (HttpOnly); the body never carries it' });

export const currentSessionAnswer = z
  .object({
    staff: staffAccountSchema,
    csrfToken: csrfToken.nullable().openapi({ description: 'The cookie session’s CSRF token; null for a bearer token, which needs none' }),
    expiresAt: z.string(),
  })
  .openapi('StaffCurrentSession');

export const sessionList = z
  .object({
    sessions: z.array(z.object({ sessionId, createdAt: z.string(), lastSeenAt: z.string(), expiresAt: z.string(), current: z.boolean() })),
  })
  .openapi('StaffSessions');
