import type { Request } from 'express';
import { z } from '../http/openapi';
import { ValidationError } from '../http/errors';
import { emailAddress, password } from '../schemas/customer-fields';
import { tenantId } from '../schemas/params';
import type { SessionTokens } from './sessions';

/** Login is bounded, not policy-checked: a password set under an older policy must still sign in. */
const givenPassword = z.string().min(1, 'Required').max(128, 'Must be at most 128 characters');
const opaque = (prefix: string) => z.string().max(100).regex(new RegExp(`^${prefix}_[A-Za-z0-9_-]{43}$`), 'Malformed token');
const secondFactorCode = z.string().trim().min(6).max(40).openapi({ description: 'A 6-digit TOTP code, or one of the recovery codes', example: '123456' });

export const loginBody = z.strictObject({ email: emailAddress, password: givenPassword });
export const challengeBody = z.strictObject({ challengeToken: opaque('cch'), code: secondFactorCode });
export const refreshBody = z.strictObject({ refreshToken: opaque('crt') });
export const resetRequestBody = z.strictObject({ email: emailAddress });
export const resetConfirmBody = z.strictObject({ email: emailAddress, code: z.string().trim().regex(/^\d{6}$/, 'Must be 6 digits'), newPassword: password });
export const totpCodeBody = z.strictObject({ code: secondFactorCode });

export const tokensResponse = z
  .object({
    accessToken: z.string(),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number().int().openapi({ description: 'Seconds the access token is valid for' }),
    refreshToken: z.string().openapi({ description: 'Opaque, single use: each refresh returns the next one' }),
    sessionId: z.string(),
    customerId: z.string().openapi({ description: 'The signed-in customer: the id their own routes take in the path' }),
  })
  .openapi('CustomerSessionTokens');
export const challengeResponse = z.object({
  twoFactorRequired: z.literal(true),
  challengeToken: z.string(),
  expiresIn: z.number().int(),
});

/**
 * A session's tokens as the answer, and the signed-in customer as the call's actor, so the audit trail records
 * the sign-in (a public route that declares `recordsSignIn`).
 */
export function tokensAnswer(req: Request, tenantId: string, tokens: SessionTokens) {
  req.actor = { type: 'customer', id: tokens.customerId, tenantId, customerId: tokens.customerId, sessionId: tokens.sessionId };
  return { status: 200, body: tokens };
}

/**
 * Public customer routes name their tenant with X-Tenant-ID alone: a customer's browser holds no tenant
 * credential. The tenant id is not a secret; what the route then does is bound to that tenant.
 */
export function publicTenant(req: Request): string {
  const parsed = tenantId.safeParse(req.get('x-tenant-id'));
  if (!parsed.success) throw new ValidationError([{ field: 'X-Tenant-ID', message: 'Required header naming the tenant' }]);
  return parsed.data;
}
