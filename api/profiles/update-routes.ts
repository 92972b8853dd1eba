/** PUT /v2/profile/{profileId} (the profile id is the customer id) and the history of a profile's changes. */
import { actorLabel, actorOf } from '../auth/actor';
import { tenantOf } from '../auth/guards';
import type { Knex } from '../../common/db';
import { errorBodySchema, z } from '../http/openapi';
import { mountRoute, type Mount } from '../http/route';
import { contactChangeView } from '../contact-changes/routes';
import { customerId, pageLimit } from '../schemas/params';
import { listProfileChanges } from './history';
import { customerProfileV2, type CustomerProfileV2 } from './view';
import type { ProfileService } from './service';
import { profileUpdateBody } from './update-schema';

const error = (description: string) => ({ description, schema: errorBodySchema });

const saved = z
  .object({
    profileId: customerId,
    status: z.string().openapi({ example: 'ACTIVE' }),
    due: z.array(z.string()).openapi({ description: 'What the onboarding still needs; empty once it has ended' }),
    changed_fields: z.array(z.string()).openapi({ example: ['basic_info.last_name', 'address.city'] }),
    contact_changes: z.array(contactChangeView).optional().openapi({ description: 'Contact changes started for a new e-mail or phone (202)' }),
    profile: customerProfileV2.openapi({ description: 'The profile as saved, as GET /v2/profile/{customerId} answers it' }),
  })
  .openapi('ProfileUpdateResult');

const changesPage = z
  .object({
    data: z.array(
      z.object({
        fields: z.array(z.string()),
        source: z.enum(['PROFILE_UPDATE', 'CONTACT_CHANGE']),
        actor: z.string().openapi({ example: 'oauth:cli_5b0e8c1f2a7d94e3c6b10a2f' }),
        changed_at: z.string().openapi({ format: 'date-time' }),
      }),
    ),
    next_cursor: z.string().nullable().openapi({ description: 'Pass as cursor for the next (older) page; null on the last' }),
  })
  .openapi('ProfileChangesPage');

export function mountProfileRoutes(
  mount: Mount,
  { profiles, db, view }: { profiles: ProfileService; db: Knex; view: (tenantId: string, customerId: string) => Promise<CustomerProfileV2> },
) {
  mountRoute(mount, {
    method: 'put',
    path: '/v2/profile/{profileId}',
    summary: "Complete or update an individual's profile in seed 004's sections (the profile id is the customer id)",
    tag: 'Profiles',
    security: 'tenant',
    capability: 'SCT01',
    params: z.object({ profileId: customerId }),
    body: profileUpdateBody,
    responses: {
      200: { description: 'Profile saved (during the onboarding, the onboarding moved on)', schema: saved },
      202: { description: 'Profile saved, and a new e-mail or phone awaits its code (contact_changes)', schema: saved },
      400: error("Invalid input, unknown reference ids, a field the profile still lacks, an e-mail another customer has, or a country of residence outside the tenant's countries of operation"),
      404: error('No such customer for this tenant'),
      409: error('Too early (contact details not verified), too late (KYC started), a new e-mail or phone during the onboarding, or a customer no longer active (INVALID_STATE)'),
    },
    handler: async ({ params, body, req }) => {
      const tenantId = tenantOf(req);
      const result = await profiles.update(tenantId, params.profileId, body, actorLabel(actorOf(req)));
      const pending = result.contactChanges.length > 0;
      const { status, due, changedFields: changed_fields, contactChanges } = result;
      const profile = await view(tenantId, params.profileId);
      return { status: pending ? 202 : 200, body: { profileId: params.profileId, status, due, changed_fields, ...(pending ? { contact_changes: contactChanges } : {}), profile } };
    },
  });

  mountRoute(mount, {
    method: 'get',
    path: '/v2/profile/{customerId}/changes',
    summary: "Which fields of a customer's profile changed, who changed them and when (never the values), newest first",
    tag: 'Profiles',
    security: 'tenant',
    capability: 'SCT01',
    params: z.object({ customerId }),
    query: z.strictObject({
      cursor: z.string().regex(/^[1-9][0-9]{0,15}$/, 'Must be a next_cursor from a previous page').optional(),
      limit: pageLimit,
    }),
    responses: { 200: { description: 'A page of changes', schema: changesPage }, 400: error('Invalid cursor or limit'), 404: error('No such customer for this tenant') },
    handler: async ({ params, query, req }) => ({ status: 200, body: await listProfileChanges(db, tenantOf(req), params.customerId, query) }),
  });
}
