/**
 * A fuzz target on a test harness: two tenants (one to act as, one whose ids must stay out of reach), an API key,
 * a few registered customers per tenant, and row counts of every table in the harness's database. The admin
 * routes act on a third tenant without customers: generated settings (a reminder every second) would otherwise
 * keep the acting tenant's workflows writing, and no refused request could be told apart from them.
 */
import fc from 'fast-check';
import { TIER_CAPABILITIES } from '../../common/access';
import type { Harness } from '../support/harness';
import { activeCustomer } from '../support/journey';
import { createOrganization } from '../support/organizations';
import { platformAdmin } from '../support/staff';
import { createTenant, http, registration, type TenantSession } from '../support/tenant-client';
import { consentsOf, inDays, registerTpp } from '../support/tpp';
import type { FuzzTarget } from './openapi-fuzz';

export async function harnessTarget(h: Harness): Promise<FuzzTarget> {
  const [tenant, other, administered] = await Promise.all([createTenant(h, 'Fuzz Bank'), createTenant(h, 'Other Bank'), createTenant(h, 'Settings Bank')]);
  // The fuzz sends thousands of requests a minute (`npm run fuzz`): its tenants hold every capability (ENTERPRISE's,
  // so the TPP routes under SCT12 run their handlers rather than only answer 403) with a limit it never reaches, or
  // most of its requests would only meet the 429 (tested in rate-limits.test.ts).
  await h.db('tenants')
    .whereIn('id', [tenant.tenantId, other.tenantId])
    .update({ tier: 'CUSTOM', custom_capabilities: [...TIER_CAPABILITIES.ENTERPRISE], custom_rate_limit_per_minute: 1_000_000 });
  const staff = (await platformAdmin(h)).headers;
  const key = await http(h.api.url, 'POST', `/api/v2.1/admin/tenants/${tenant.tenantId}/api-keys`, { body: { label: 'fuzz' }, headers: staff });
  const customers: string[] = [];
  for (const session of [tenant, tenant, other]) {
    const created = await session.call('POST', '/api/v2.1/customer/individual/registration', registration({ phone: '+14155552671' }));
    if (created.status !== 201) throw new Error(`fuzz setup: registration answered ${created.status}`);
    customers.push(created.body.customerId);
  }
  // An organization of each tenant, one with a director, so the people routes are reached past their 404.
  const [organization, othersOrganization] = await Promise.all([createOrganization(h, tenant.tenantId), createOrganization(h, other.tenantId)]);
  const director = await tenant.call('POST', `${organization.path}/directors`, { firstName: 'Fuzz', lastName: 'Director', email: 'fuzz.director@example.com' });
  if (director.status !== 201) throw new Error(`fuzz setup: adding a director answered ${director.status}`);
  const after = await afterOnboardingObjects(h, tenant);
  // The audit trail records refused calls by design (test/integration/audit-trail.test.ts): not a write by the refusal.
  const tables = (await h.db('pg_tables').where({ schemaname: 'public' }).whereNot('tablename', 'like', 'knex_%').whereNot('tablename', 'audit_events').pluck('tablename')) as string[];
  const countSql = tables.map((t) => `select '${t}' as t, count(*)::int as n from "${t}"`).join(' union all ');
  const validRegistration = fc.uuid().map((id) => registration({ email: `fuzz.${id}@example.com` }));
  return {
    baseUrl: h.api.url,
    credentials: {
      tenant: tenant.headers,
      otherTenant: other.headers,
      wrongTenant: { ...tenant.headers, 'x-tenant-id': other.tenantId },
      platformAdmin: { authorization: `Bearer ${h.secrets.platformAdminToken}` },
      staffSession: staff,
      apiKey: { 'x-api-key': key.body.apiKey },
    },
    knownIds: {
      customerId: [...customers, after.customerId],
      profileId: [...customers, after.customerId],
      ...after.ids,
      tenantId: [administered.tenantId],
      orgId: [organization.organizationId, othersOrganization.organizationId, customers[0]],
      partyId: [director.body.partyId],
    },
    samples: {
      'POST /api/v2.1/customer/individual/registration': validRegistration,
      'POST /api/v1/customers': validRegistration,
    },
    async countRows() {
      const { rows } = await h.db.raw<{ rows: Array<{ t: string; n: number }> }>(countSql);
      return Object.fromEntries(rows.map((r) => [r.t, r.n]));
    },
  };
}

/**
 * One object of each after-onboarding kind (issue 11) for an ACTIVE customer, so the fuzz's known ids reach the
 * handlers of the group, TPP, consent, beneficiary and contact-change routes past their 404; next to each, a
 * well-formed id nobody has, so the not-found paths run with every generated body too.
 */
async function afterOnboardingObjects(h: Harness, tenant: TenantSession) {
  const created = async (what: string, pending: Promise<{ status: number; body: any }>) => {
    const res = await pending;
    if (res.status !== 201 && res.status !== 202) throw new Error(`fuzz setup: ${what} answered ${res.status} ${JSON.stringify(res.body)}`);
    return (res.body.data.id ?? res.body.data.change_id) as string;
  };
  const customer = await activeCustomer(h, tenant, { email: 'fuzz.active@example.com' });
  const base = `/v2/customer/${customer.customerId}`;
  const tppId = await registerTpp(tenant);
  const [groupId, consentId, beneficiaryId, changeId] = await Promise.all([
    created('a group', tenant.call('POST', '/v2/customer/groups', { name: 'Fuzz group' })),
    created('a TPP consent', tenant.call('POST', consentsOf(customer.customerId), { tpp_id: tppId, scopes: ['ACCOUNTS_READ'], expires_at: inDays(30) })),
    created('a beneficiary', tenant.call('POST', `${base}/beneficiaries`, { name: 'Hans Müller', country: 'DEU', currency: 'EUR', iban: 'DE89370400440532013000' })),
    created('a contact change', tenant.call('POST', `${base}/contact-changes`, { email: 'fuzz.changed@example.com' })),
  ]);
  const nobody = (prefix: string) => `${prefix}_${'0'.repeat(23)}1`;
  return {
    customerId: customer.customerId,
    ids: {
      groupId: [groupId, nobody('grp')],
      tppId: [tppId, nobody('tpp')],
      consentId: [consentId, nobody('tpc')],
      beneficiaryId: [beneficiaryId, nobody('ben')],
      changeId: [changeId, nobody('chg')],
    },
  };
}
