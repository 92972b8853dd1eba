/** An active customer's new e-mail address or phone number, confirmed by a code sent to it (./service.ts). */
import { CONTACT_CHANGE_STATUSES } from '../../common/contact-change-contract';
import { actorLabel, actorOf } from '../auth/actor';
import { tenantOf } from '../auth/guards';
import { errorBodySchema, z } from '../http/openapi';
import { mountRoute, type Mount } from '../http/route';
import { lowercaseEmail, phoneNumber } from '../schemas/customer-fields';
import { customerId, idOf } from '../schemas/params';
import type { ContactChanges } from './service';

export const changeId = idOf('chg', 'chg_7d1e3f5a6b8c9d0e0f4c2a9b');

export const contactChangeView = z
  .object({
    change_id: changeId,
    channel: z.enum(['EMAIL', 'PHONE']),
    status: z.enum(CONTACT_CHANGE_STATUSES),
    expires_at: z.string().openapi({ format: 'date-time' }),
    created_at: z.string().openapi({ format: 'date-time' }),
    updated_at: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('ContactChange');

const contactChangeRequest = z
  .strictObject({ email: lowercaseEmail.optional(), phone: phoneNumber.optional() })
  .refine((body) => (body.email === undefined) !== (body.phone === undefined), { path: [], error: 'Give exactly one of email, phone' })
  .openapi('ContactChangeRequest');

const answer = (description: string) => ({ description, schema: z.object({ data: contactChangeView }) });
const error = (description: string) => ({ description, schema: errorBodySchema });
const notFound = error("No such customer or change for this tenant (another tenant's or customer's is missing too)");

export function mountContactChangeRoutes(mount: Mount, changes: ContactChanges) {
  const base = '/v2/customer/{customerId}/contact-changes';
  const changeParams = z.object({ customerId, changeId });
  const common = { tag: 'Profiles', security: 'tenantOrCustomer', capability: 'SCT01' } as const;

  mountRoute(mount, {
    ...common,
    method: 'post',
    path: base,
    summary: "Start changing an active customer's e-mail address or phone number: a code goes to the new one",
    params: z.object({ customerId }),
    body: contactChangeRequest,
    responses: {
      202: answer('Change recorded and a code sent to the new contact; a pending change of the same channel is replaced'),
      400: error('Invalid input, the same value as now, or an e-mail address another customer of the tenant has'),
      404: notFound,
      409: error('The customer is not ACTIVE (INVALID_STATE)'),
    },
    handler: async ({ params, body, req }) => {
      const channel = body.email !== undefined ? 'EMAIL' : 'PHONE';
      const data = await changes.request(tenantOf(req), params.customerId, channel, (body.email ?? body.phone)!, actorLabel(actorOf(req)));
      return { status: 202, body: { data } };
    },
  });

  mountRoute(mount, {
    ...common,
    method: 'post',
    path: `${base}/{changeId}/verification`,
    summary: 'Confirm a contact change with the code sent to the new contact; the contact is replaced and the old one told',
    params: changeParams,
    body: z.strictObject({ code: z.string().trim().regex(/^\d{6}$/, 'Must be the 6-digit code') }).openapi('ContactChangeVerification'),
    responses: {
      200: answer('The change is COMPLETED'),
      400: error('Invalid input, a wrong code (the fifth ends the change as FAILED), or the e-mail address was taken meanwhile (the change FAILED)'),
      404: notFound,
      409: error('The change is no longer pending (COMPLETED, EXPIRED, CANCELLED, FAILED) or its code has expired'),
    },
    handler: async ({ params, body, req }) => ({ status: 200, body: { data: await changes.verify(tenantOf(req), params.customerId, params.changeId, body.code) } }),
  });

  mountRoute(mount, {
    ...common,
    method: 'get',
    path: `${base}/{changeId}`,
    summary: 'A contact change and its status',
    params: changeParams,
    responses: { 200: answer('The change'), 404: notFound },
    handler: async ({ params, req }) => ({ status: 200, body: { data: await changes.get(tenantOf(req), params.customerId, params.changeId) } }),
  });

  mountRoute(mount, {
    ...common,
    method: 'delete',
    path: `${base}/{changeId}`,
    summary: 'Cancel a pending contact change: its code stops working and nothing changes',
    params: changeParams,
    responses: { 200: answer('The change, CANCELLED'), 404: notFound, 409: error('The change is no longer pending') },
    handler: async ({ params, req }) => ({ status: 200, body: { data: await changes.cancel(tenantOf(req), params.customerId, params.changeId) } }),
  });
}
