/**
 * The groups API's request and response schemas (seed 001 "Group Management"), in the v2 customer API's snake_case
 * field names. Cursors are opaque to clients; a cursor this API did not give is a 400 naming `cursor`.
 */
import { z } from '../http/openapi';
import { idOf, pageLimit, subjectId } from '../schemas/params';
import { freeText } from '../schemas/customer-fields';

export const MAX_GROUP_NAME = 100;
export const MAX_GROUP_DESCRIPTION = 500;
export const MAX_MEMBERS_PER_CALL = 100;

export const groupId = idOf('grp', 'grp_7c1e0a9f3b5d2e4c6a8b0d1f');
export const groupParams = z.object({ groupId });
export const memberParams = z.object({ groupId, customerId: subjectId });
export const customerGroupsParams = z.object({ customerId: subjectId });

const groupName = freeText(MAX_GROUP_NAME).openapi({
  description: 'Trimmed; unique within the tenant whatever its letter case',
  example: 'Premium clients',
});
const description = freeText(MAX_GROUP_DESCRIPTION).openapi({ example: 'Customers served by the private banking desk' });

export const createGroupBody = z.strictObject({ name: groupName, description: description.optional() }).openapi('CreateGroupRequest');

export const updateGroupBody = z
  .strictObject({ name: groupName.optional(), description: description.nullable().optional().openapi({ description: 'null clears it' }) })
  .refine((body) => body.name !== undefined || body.description !== undefined, { message: 'Give name, description or both', path: ['body'] })
  .openapi('UpdateGroupRequest');

export const addMembersBody = z
  .strictObject({
    customer_ids: z
      .array(subjectId)
      .min(1, 'Must name at least one customer')
      .max(MAX_MEMBERS_PER_CALL, `Must name at most ${MAX_MEMBERS_PER_CALL} customers`)
      .openapi({ description: 'Individuals (cust_…) and organizations (org_…) of this tenant; repeated ids count once' }),
  })
  .openapi('AddGroupMembersRequest');

/** `true` or `false`, written exactly so; anything else (a typo, `1`, a repeated key) is refused, not read as false. */
export const deleteGroupQuery = z.strictObject({
  force: z
    .enum(['true', 'false'], 'Must be true or false')
    .optional()
    .transform((value) => value === 'true')
    .openapi({ type: 'boolean', description: 'Delete a group that still has members, with its memberships' }),
});

const limit = pageLimit;

/** The group list's place: the last group's lower-cased name and id (names are unique per tenant whatever the case). */
export type GroupCursor = { name: string; id: string };
const groupCursor = z
  .string()
  .max(400)
  .transform((value, ctx): GroupCursor => {
    const decoded = decodeGroupCursor(value);
    if (!decoded) ctx.addIssue({ code: 'custom', message: 'Must be a next_cursor from a previous page' });
    return decoded ?? { name: '', id: '' };
  })
  .openapi({ type: 'string', description: 'next_cursor of the previous page' });

export const encodeGroupCursor = (cursor: GroupCursor): string => Buffer.from(JSON.stringify([cursor.name, cursor.id])).toString('base64url');

function decodeGroupCursor(value: string): GroupCursor | undefined {
  try {
    // No control characters: a NUL would reach PostgreSQL, which refuses it in text (a 500, not a 400).
    const [name, id] = z.tuple([z.string().max(MAX_GROUP_NAME * 4).regex(/^[^\u0000-\u001f\u007f]*$/), groupId]).parse(JSON.parse(Buffer.from(value, 'base64url').toString('utf8')));
    return { name, id };
  } catch {
    return undefined;
  }
}

/** A membership's place in either listing: its row number, which grows as members are added. */
const membershipCursor = z
  .string()
  .regex(/^[1-9]\d{0,17}$/, 'Must be a next_cursor from a previous page')
  .openapi({ description: 'next_cursor of the previous page' });

export const listGroupsQuery = z.strictObject({
  limit,
  cursor: groupCursor.optional(),
  name: freeText(MAX_GROUP_NAME).optional().openapi({ description: 'Only groups whose name starts with this, whatever the letter case' }),
});

export const membershipPageQuery = z.strictObject({ limit, cursor: membershipCursor.optional() });

export const groupView = z
  .object({
    group_id: z.string().openapi({ example: 'grp_7c1e0a9f3b5d2e4c6a8b0d1f' }),
    name: z.string(),
    description: z.string().nullable(),
    member_count: z.number().int(),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .openapi('CustomerGroup');

const nextCursor = z.string().nullable().openapi({ description: 'Pass as cursor for the next page; null on the last' });

export const groupAnswer = z.object({ data: groupView }).openapi('CustomerGroupAnswer');
export const groupPage = z.object({ data: z.array(groupView), next_cursor: nextCursor }).openapi('CustomerGroupPage');

export const memberView = z
  .object({
    customer_id: z.string(),
    customer_type: z.enum(['INDIVIDUAL', 'ORGANIZATION']),
    status: z.string(),
    first_name: z.string().openapi({ description: "An organization's representative" }),
    last_name: z.string(),
    business_name: z.string().nullable().openapi({ description: "An organization's registered name; null for an individual" }),
    added_at: z.iso.datetime(),
  })
  .openapi('CustomerGroupMember');

export const memberPage = z.object({ data: z.array(memberView), next_cursor: nextCursor }).openapi('CustomerGroupMemberPage');

export const addedMembers = z
  .object({
    data: z.object({
      added: z.array(z.string()).openapi({ description: 'Customers who joined the group now' }),
      already_members: z.array(z.string()).openapi({ description: 'Customers who were members already (unchanged)' }),
    }),
  })
  .openapi('CustomerGroupMembersAdded');

export const customerGroupView = groupView.extend({ added_at: z.iso.datetime() }).openapi('CustomerGroupMembership');
export const customerGroupPage = z.object({ data: z.array(customerGroupView), next_cursor: nextCursor }).openapi('CustomerGroupMembershipPage');

export type CreateGroup = z.output<typeof createGroupBody>;
export type UpdateGroup = z.output<typeof updateGroupBody>;
export type GroupView = z.output<typeof groupView>;
export type MemberView = z.output<typeof memberView>;
export type CustomerGroupView = z.output<typeof customerGroupView>;
