/**
 * The refusal point: what the tenant's gateway asks before it lets a TPP act for a customer. One read of the
 * grant with its TPP and customer; `expires_at` is compared with the database clock, so a grant whose timer is
 * late is refused all the same. Checked in a fixed order, so one state always gives the same code.
 */
import type { Knex } from '../../common/db';
import { NotFoundError, TppAccessRefusedError } from '../http/errors';
import { SCOPE_ROLE, type TppRefusal, type TppRole, type TppScope } from './schemas';

interface GrantState {
  status: string;
  lapsed: boolean;
  scopes: TppScope[];
  expires_at: Date;
  tpp_status: string;
  tpp_roles: TppRole[];
  customer_status: string;
}

const refuse = (code: TppRefusal, message: string) => new TppAccessRefusedError(code, message);

export function createTppAuthorization(db: Knex) {
  return async function authorize(tenantId: string, customerId: string, consentId: string, request: { tpp_id: string; scope: TppScope }) {
    const grant = await db('tpp_consents as c')
      .join('tpps as t', function () {
        this.on('t.tenant_id', 'c.tenant_id').andOn('t.id', 'c.tpp_id');
      })
      .join('customers as u', function () {
        this.on('u.tenant_id', 'c.tenant_id').andOn('u.id', 'c.customer_id');
      })
      .where({ 'c.tenant_id': tenantId, 'c.customer_id': customerId, 'c.id': consentId, 'c.tpp_id': request.tpp_id })
      .first<GrantState | undefined>(
        'c.status',
        db.raw('c.expires_at <= now() as lapsed'),
        'c.scopes',
        'c.expires_at',
        't.status as tpp_status',
        't.roles as tpp_roles',
        'u.status as customer_status',
      );
    // Another customer's or TPP's grant is no grant of theirs: the same 404 as a missing one.
    if (!grant) throw new NotFoundError('Consent not found');
    if (grant.status === 'REVOKED') throw refuse('TPP_CONSENT_REVOKED', 'The customer\'s consent to this TPP has been revoked');
    if (grant.status === 'EXPIRED' || grant.lapsed) throw refuse('TPP_CONSENT_EXPIRED', 'The customer\'s consent to this TPP has expired');
    if (grant.tpp_status !== 'ACTIVE') throw refuse('TPP_NOT_ACTIVE', `The TPP is ${grant.tpp_status}`);
    if (grant.customer_status !== 'ACTIVE') throw refuse('TPP_CUSTOMER_NOT_ACTIVE', 'The customer is no longer ACTIVE');
    // The TPP's roles may have narrowed since the grant: a scope needs both the grant and the role.
    if (!grant.scopes.includes(request.scope) || !grant.tpp_roles.includes(SCOPE_ROLE[request.scope])) {
      throw refuse('TPP_SCOPE_NOT_GRANTED', `The consent does not grant ${request.scope} to this TPP`);
    }
    return { allowed: true as const, expires_at: grant.expires_at.toISOString() };
  };
}
