/**
 * A customer's payment recipients (seed 001, Financial Operations: Beneficiary Management). The tenant, or the
 * customer's own session, adds one; it is usable once the customer confirms it with the code sent to them.
 * Another tenant's or another customer's beneficiary is a 404.
 */
import { tenantOf } from '../auth/guards';
import { mountRoute, type Mount } from '../http/route';
import type { BeneficiaryConfirmation } from './confirmation';
import { MAX_CODE_RESENDS, type BeneficiaryResend } from './resend';
import {
  beneficiaryAnswer,
  beneficiaryPage,
  beneficiaryParams,
  confirmationBody,
  createBeneficiaryBody,
  customerParams,
  listQuery,
  updateBeneficiaryBody,
} from './schemas';
import type { BeneficiaryService } from './service';

const BASE = '/v2/customer/{customerId}/beneficiaries';
const access = { tag: 'Beneficiaries', security: 'tenantOrCustomer', capability: ['SCT01', 'SCT02'] } as const;
const unauthorized = {
  401: { description: 'Missing or invalid access token (or customer session)' },
  403: { description: "X-Tenant-ID is not the token's tenant" },
};
const customerMissing = { 404: { description: 'No such customer for this tenant' } };
const beneficiaryMissing = { 404: { description: 'No such customer, or no such beneficiary of theirs (a deleted one included)' } };

interface BeneficiaryRouteDeps {
  beneficiaries: BeneficiaryService;
  confirmation: BeneficiaryConfirmation;
  resend: BeneficiaryResend;
}

export function mountBeneficiaryRoutes(mount: Mount, { beneficiaries, confirmation, resend }: BeneficiaryRouteDeps) {
  mountRoute(mount, {
    ...access,
    method: 'post',
    path: BASE,
    summary: 'Add a payment recipient: pending until the customer confirms it with the code sent to them',
    params: customerParams,
    body: createBeneficiaryBody,
    responses: {
      202: { description: 'Added as PENDING_CONFIRMATION; the code is on its way to the customer', schema: beneficiaryAnswer },
      400: {
        description:
          'Invalid input, naming the field: an IBAN with wrong check digits or of another country, no IBAN where the country uses them, ' +
          'a routing code or account number against its country\'s rule, a BIC that is invalid or of another country, an unknown currency, ' +
          'a country not supported, or SMS for a customer without a phone',
      },
      ...unauthorized,
      ...customerMissing,
      409: { description: 'The customer is not ACTIVE (INVALID_STATE), or the account is already one of their beneficiaries (CONFLICT, naming it)' },
      503: { description: 'The confirmation could not be started; nothing was added' },
    },
    handler: async ({ params, body, req }) => ({ status: 202, body: { data: await beneficiaries.create(tenantOf(req), params.customerId, body) } }),
  });

  mountRoute(mount, {
    ...access,
    method: 'post',
    path: `${BASE}/{beneficiaryId}/confirmation`,
    summary: 'Confirm a pending beneficiary with the code the customer received',
    params: beneficiaryParams,
    body: confirmationBody,
    responses: {
      200: { description: 'Confirmed: the beneficiary is ACTIVE', schema: beneficiaryAnswer },
      400: { description: 'The code is not correct (naming `code`); the fifth wrong code ends the beneficiary FAILED' },
      ...unauthorized,
      ...beneficiaryMissing,
      409: { description: 'The code has expired, the beneficiary is no longer pending (ACTIVE, EXPIRED or FAILED), or the customer is not ACTIVE' },
    },
    handler: async ({ params, body, req }) => ({
      status: 200,
      body: { data: await confirmation.confirm(tenantOf(req), params.customerId, params.beneficiaryId, body.code) },
    }),
  });

  mountRoute(mount, {
    ...access,
    method: 'post',
    path: `${BASE}/{beneficiaryId}/confirmation/resend`,
    summary: `Send a pending beneficiary a new code (at most ${MAX_CODE_RESENDS} times, after the tenant's resendCooldownSeconds); the earlier code stops working`,
    params: beneficiaryParams,
    responses: {
      202: { description: 'A new code is on its way; the confirmation keeps its expiry', schema: beneficiaryAnswer },
      ...unauthorized,
      ...beneficiaryMissing,
      409: { description: `The beneficiary is no longer pending, its confirmation has expired, or it had its ${MAX_CODE_RESENDS} resends (CONFLICT)` },
      429: { description: 'Asked again within the cooldown (RATE_LIMIT_EXCEEDED, with Retry-After)' },
      503: { description: 'The confirmation workflow could not be reached; the resend was counted' },
    },
    handler: async ({ params, req }) => ({ status: 202, body: { data: await resend.resend(tenantOf(req), params.customerId, params.beneficiaryId) } }),
  });

  mountRoute(mount, {
    ...access,
    method: 'get',
    path: BASE,
    summary: "The customer's beneficiaries, newest first (never a deleted one), by status if asked",
    params: customerParams,
    query: listQuery,
    responses: {
      200: { description: 'A page of beneficiaries', schema: beneficiaryPage },
      400: { description: 'Invalid filter, limit or cursor' },
      ...unauthorized,
      ...customerMissing,
    },
    handler: async ({ params, query, req }) => ({ status: 200, body: await beneficiaries.list(tenantOf(req), params.customerId, query) }),
  });

  mountRoute(mount, {
    ...access,
    method: 'get',
    path: `${BASE}/{beneficiaryId}`,
    summary: 'One beneficiary (its account masked)',
    params: beneficiaryParams,
    responses: { 200: { description: 'The beneficiary', schema: beneficiaryAnswer }, ...unauthorized, ...beneficiaryMissing },
    handler: async ({ params, req }) => ({ status: 200, body: { data: await beneficiaries.get(tenantOf(req), params.customerId, params.beneficiaryId) } }),
  });

  mountRoute(mount, {
    ...access,
    method: 'patch',
    path: `${BASE}/{beneficiaryId}`,
    summary: "Change a beneficiary's nickname (nothing else can change: add a new beneficiary instead)",
    params: beneficiaryParams,
    body: updateBeneficiaryBody,
    responses: {
      200: { description: 'The beneficiary as changed', schema: beneficiaryAnswer },
      400: { description: 'An invalid nickname, or any other field (Unknown field)' },
      ...unauthorized,
      ...beneficiaryMissing,
    },
    handler: async ({ params, body, req }) => ({
      status: 200,
      body: { data: await beneficiaries.rename(tenantOf(req), params.customerId, params.beneficiaryId, body.nickname) },
    }),
  });

  mountRoute(mount, {
    ...access,
    method: 'delete',
    path: `${BASE}/{beneficiaryId}`,
    summary: 'Delete a beneficiary: kept as DELETED for the record, a pending confirmation ends, its account may be added again',
    params: beneficiaryParams,
    responses: { 204: { description: 'Deleted' }, ...unauthorized, ...beneficiaryMissing },
    handler: async ({ params, req }) => {
      await beneficiaries.remove(tenantOf(req), params.customerId, params.beneficiaryId);
      return { status: 204, body: undefined };
    },
  });
}
