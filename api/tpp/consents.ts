/**
 * Customers' grants to TPPs. A grant's row is the truth the authorization check reads; its workflow
 * (workflows/tpp-consent.ts) only marks it EXPIRED when its timer fires. A revocation is written here, inside the
 * request, so it refuses at once; the workflow is then signalled and ends without touching the row.
 *
 * Creating: the row is inserted and the workflow started inside one transaction, committed only once the start
 * succeeded. A start that fails rolls the row back (503), so no grant is ever ACTIVE without its timer. If the
 * commit fails after the start, the workflow has no row: at expiry its activity finds nothing ACTIVE and ends.
 */
import { randomBytes } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Knex } from '../../common/db';
import { TenantIdKey, CustomerIdKey } from '../../common/search-attributes';
import { TPP_CONSENT_WORKFLOW, tppConsentRevokedSignal, tppConsentWorkflowId, type TppConsentInput } from '../../common/tpp-consent-contract';
import { tppConsentLabels } from '../../common/workflow-labels';
import { ConflictError, CustomerStatusError, NotFoundError, ServiceUnavailableError, ValidationError } from '../http/errors';
import { isTemporalOutage } from '../onboarding/service';
import { temporalDeadline } from '../onboarding/temporal-deadline';
import { tenantNameOf } from '../tenancy/tenant-names';
import { afterCursor, createdKey, pageOf } from './cursor';
import { SCOPE_ROLE, type ConsentStatus, type ConsentView, type GrantConsent, type TppRole, type TppScope } from './schemas';

const newConsentId = () => `tpc_${randomBytes(12).toString('hex')}`;

interface ConsentRow {
  id: string;
  customer_id: string;
  tpp_id: string;
  scopes: TppScope[];
  /** As the reader sees it: EXPIRED once expires_at has passed by the database clock, whatever the timer did. */
  status: ConsentStatus;
  expires_at: Date;
  created_at: Date;
  created_by: string;
  revoked_at: Date | null;
  revoked_by: string | null;
}

/** The status a reader sees: an ACTIVE row past its expiry (its timer not yet run) is already EXPIRED. */
const EFFECTIVE_STATUS = `case when c.status = 'ACTIVE' and c.expires_at <= now() then 'EXPIRED' else c.status end`;

const view = (row: ConsentRow): ConsentView => ({
  id: row.id,
  customer_id: row.customer_id,
  tpp_id: row.tpp_id,
  scopes: row.scopes,
  status: row.status,
  expires_at: row.expires_at.toISOString(),
  created_at: row.created_at.toISOString(),
  created_by: row.created_by,
  revoked_at: row.revoked_at?.toISOString() ?? null,
  revoked_by: row.revoked_by,
});

export interface ConsentDeps {
  db: Knex;
  temporal: Client;
  taskQueue: string;
  callTimeoutMs: number;
}

export function createTppConsents({ db, temporal, taskQueue, callTimeoutMs }: ConsentDeps) {
  const withDeadline = temporalDeadline(temporal, callTimeoutMs);
  const consents = (tenantId: string, customerId: string) =>
    db('tpp_consents as c')
      .where({ 'c.tenant_id': tenantId, 'c.customer_id': customerId })
      .select('c.id', 'c.customer_id', 'c.tpp_id', 'c.scopes', db.raw(`${EFFECTIVE_STATUS} as status`), 'c.expires_at', 'c.created_at', 'c.created_by', 'c.revoked_at', 'c.revoked_by');

  async function customerStatus(trx: Knex | Knex.Transaction, tenantId: string, customerId: string): Promise<string> {
    const row = await trx('customers').where({ tenant_id: tenantId, id: customerId }).first<{ status: string } | undefined>('status');
    if (!row) throw new NotFoundError('Customer not found');
    return row.status;
  }

  async function get(tenantId: string, customerId: string, consentId: string): Promise<ConsentView> {
    const row = await consents(tenantId, customerId).where('c.id', consentId).first<ConsentRow | undefined>();
    if (!row) throw new NotFoundError('Consent not found');
    return view(row);
  }

  /** Best effort: a lost signal leaves the run asleep until expiry, when its activity finds the row not ACTIVE. */
  async function stopWorkflows(tenantId: string, consentIds: string[]): Promise<void> {
    await Promise.all(
      consentIds.map((id) =>
        withDeadline(() => temporal.workflow.getHandle(tppConsentWorkflowId(tenantId, id)).signal(tppConsentRevokedSignal)).catch(() => undefined),
      ),
    );
  }

  return {
    get,
    stopWorkflows,

    async grant(tenantId: string, customerId: string, body: GrantConsent, actor: string): Promise<ConsentView> {
      const consentId = newConsentId();
      const expiresAt = new Date(body.expires_at).toISOString();
      const tenantName = await tenantNameOf(db, tenantId);
      try {
        const row = await db.transaction(async (trx) => {
          const status = await customerStatus(trx, tenantId, customerId);
          if (status !== 'ACTIVE') throw new CustomerStatusError('Only an ACTIVE customer can grant a TPP access', status);
          // Shared lock: a revocation of the TPP waits for this grant, then revokes it too.
          const tpp = await trx('tpps').where({ tenant_id: tenantId, id: body.tpp_id }).forShare().first<{ status: string; roles: TppRole[] } | undefined>('status', 'roles');
          if (!tpp) throw new NotFoundError('TPP not found');
          if (tpp.status !== 'ACTIVE') throw new ConflictError(`The TPP is ${tpp.status}: only an ACTIVE TPP can be granted access`);
          const refused = body.scopes.filter((scope) => !tpp.roles.includes(SCOPE_ROLE[scope]));
          if (refused.length > 0) {
            throw new ValidationError(
              refused.map((scope) => ({ field: 'scopes', message: `${scope} needs the ${SCOPE_ROLE[scope]} role, which the TPP does not hold` })),
              'The TPP\'s roles do not allow these scopes',
            );
          }
          const [inserted] = await trx('tpp_consents')
            .insert({ id: consentId, tenant_id: tenantId, customer_id: customerId, tpp_id: body.tpp_id, scopes: body.scopes, expires_at: expiresAt, created_by: actor })
            .returning<ConsentRow[]>(['id', 'customer_id', 'tpp_id', 'scopes', 'status', 'expires_at', 'created_at', 'created_by', 'revoked_at', 'revoked_by']);
          const input: TppConsentInput = { tenantId, customerId, consentId, expiresAt };
          await withDeadline(() =>
            temporal.workflow.start(TPP_CONSENT_WORKFLOW, {
              ...tppConsentLabels({ tenantId, tenantName, customerId, consentId, tppId: body.tpp_id, expiresAt }),
              workflowId: tppConsentWorkflowId(tenantId, consentId),
              taskQueue,
              args: [input],
              typedSearchAttributes: [
                { key: TenantIdKey, value: tenantId },
                { key: CustomerIdKey, value: customerId },
              ],
            }),
          );
          return inserted!;
        });
        return view(row);
      } catch (error) {
        throw isTemporalOutage(error) ? new ServiceUnavailableError('The consent could not be recorded, please retry') : error;
      }
    },

    async list(tenantId: string, customerId: string, filters: { status?: ConsentStatus; cursor?: string; limit: number }) {
      await customerStatus(db, tenantId, customerId);
      const query = consents(tenantId, customerId).select(createdKey(db, 'c.created_at'));
      if (filters.status) query.whereRaw(`${EFFECTIVE_STATUS} = ?`, [filters.status]);
      afterCursor(query, filters.cursor, 'c.created_at', 'c.id');
      const rows = await query.orderBy([{ column: 'c.created_at', order: 'desc' }, { column: 'c.id', order: 'desc' }]).limit(filters.limit + 1);
      return pageOf(rows as Array<ConsentRow & { created_key: string }>, filters.limit, view);
    },

    /** Written now, so the next authorization refuses; a grant already REVOKED or EXPIRED is a 409. */
    async revoke(tenantId: string, customerId: string, consentId: string, actor: string): Promise<ConsentView> {
      const changed = await db('tpp_consents')
        .where({ tenant_id: tenantId, customer_id: customerId, id: consentId, status: 'ACTIVE' })
        .where('expires_at', '>', db.fn.now())
        .update({ status: 'REVOKED', revoked_at: db.fn.now(), revoked_by: actor });
      const current = await get(tenantId, customerId, consentId);
      if (changed === 0) throw new ConflictError(`The consent is already ${current.status}`);
      await stopWorkflows(tenantId, [consentId]);
      return current;
    },

    /** Inside the TPP's revoking transaction: its live grants end with it, recorded as revoked by the TPP's revocation. */
    async revokeGrantsOf(trx: Knex.Transaction, tenantId: string, tppId: string): Promise<string[]> {
      const rows = await trx('tpp_consents')
        .where({ tenant_id: tenantId, tpp_id: tppId, status: 'ACTIVE' })
        .where('expires_at', '>', trx.fn.now())
        .update({ status: 'REVOKED', revoked_at: trx.fn.now(), revoked_by: `tpp:${tppId}` })
        .returning<Array<{ id: string }>>('id');
      return rows.map((row) => row.id);
    },
  };
}

export type TppConsents = ReturnType<typeof createTppConsents>;
