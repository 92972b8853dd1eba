/**
 * What a signed-in customer does with their own session: log out, and turn TOTP 2FA on or off. Under the
 * customer's id (so customerScope keeps them to their own), and refused to tenant tokens: a tenant has no session
 * here, and a TOTP secret must reach the person, not the tenant's backend.
 */
import { z } from '../http/openapi';
import { mountRoute, type Mount } from '../http/route';
import { customerId } from '../schemas/params';
import type { CustomerAccounts } from './accounts';
import { customerActor } from './guard';
import { totpCodeBody } from './schemas';
import type { CustomerSessions } from './sessions';
import type { CustomerTotp } from './totp';

const BASE = '/api/v2.1/customer/{customerId}';
const params = z.object({ customerId });
const common = { tag: 'Customer sessions', security: 'tenantOrCustomer' as const, capability: 'SCT01' as const, params };
const refused = {
  401: { description: 'Missing, invalid or revoked token' },
  403: { description: "A tenant token: only the customer's own session can do this" },
  404: { description: 'Not this customer' },
};

export function mountCustomerSessionRoutes(mount: Mount, deps: { sessions: CustomerSessions; totp: CustomerTotp; accounts: CustomerAccounts }) {
  mountRoute(mount, {
    ...common,
    method: 'post',
    path: `${BASE}/auth/logout`,
    summary: "Ends the customer's session: its access and refresh tokens stop working at once",
    responses: { 204: { description: 'Signed out' }, ...refused },
    handler: async ({ req }) => {
      const actor = customerActor(req);
      await deps.sessions.revoke(actor.tenantId, actor.sessionId, 'LOGOUT');
      return { status: 204, body: undefined };
    },
  });

  mountRoute(mount, {
    ...common,
    method: 'post',
    path: `${BASE}/two-factor/totp`,
    summary: 'Starts TOTP enrolment: the otpauth URI and its QR code (2FA is on once a first code confirms it)',
    idempotent: false,
    responses: {
      201: { description: 'Scan the QR code or import the URI, then confirm with a code', schema: z.object({ otpauthUri: z.string(), qrCode: z.string(), secret: z.string() }) },
      409: { description: '2FA is already on' },
      ...refused,
    },
    handler: async ({ req }) => {
      const actor = customerActor(req);
      const enrolment = await deps.totp.enrol(actor.tenantId, actor.customerId, await deps.accounts.email(actor.tenantId, actor.customerId));
      return { status: 201, body: { otpauthUri: enrolment.uri, qrCode: enrolment.qrCode, secret: enrolment.secret } };
    },
  });

  mountRoute(mount, {
    ...common,
    method: 'post',
    path: `${BASE}/two-factor/totp/confirm`,
    summary: 'Turns 2FA on with a first TOTP code; the recovery codes are shown this once',
    idempotent: false,
    body: totpCodeBody,
    responses: {
      200: { description: '2FA is on', schema: z.object({ recoveryCodes: z.array(z.string()) }) },
      400: { description: 'The code is not correct' },
      409: { description: 'No enrolment pending' },
      ...refused,
    },
    handler: async ({ body, req }) => {
      const actor = customerActor(req);
      return { status: 200, body: await deps.totp.confirm(actor.tenantId, actor.customerId, body.code) };
    },
  });

  mountRoute(mount, {
    ...common,
    method: 'post',
    path: `${BASE}/two-factor/totp/disable`,
    summary: 'Turns 2FA off with a TOTP code or a recovery code',
    body: totpCodeBody,
    responses: {
      204: { description: '2FA is off' },
      400: { description: 'The code is not correct' },
      409: { description: '2FA is not on' },
      ...refused,
    },
    handler: async ({ body, req }) => {
      const actor = customerActor(req);
      await deps.totp.disable(actor.tenantId, actor.customerId, body.code);
      return { status: 204, body: undefined };
    },
  });
}
