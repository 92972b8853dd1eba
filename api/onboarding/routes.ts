/**
 * The onboarding steps after registration (v2.1): each route forwards one action to the workflow. Routes that
 * take `subjectParams` serve organizations too (their workflow answers the same updates); the phone ones do not.
 */
import { CONSENT_TYPES } from '../../common/onboarding-policy';
import {
  activateUpdate,
  emailVerifiedUpdate,
  giveConsentUpdate,
  phoneVerifiedUpdate,
  resendEmailCodeUpdate,
  sendPhoneCodeUpdate,
  startKycUpdate,
} from '../../common/onboarding-contract';
import { LIFECYCLE_STATUSES } from '../../common/lifecycle';
import { CUSTOMER_STATUSES, KYB_STATUSES, type KybStatus } from '../../common/statuses';
import { kybStarted } from '../organizations/schemas';
import { tenantOf } from '../auth/guards';
import { z } from '../http/openapi';
import { mountRoute, type Mount } from '../http/route';
import { customerId, subjectId } from '../schemas/params';
import type { OnboardingService } from './service';
import type { OnboardingRecords } from './records';
import type { createCodeChecker } from './verification-codes';

import type { OrganizationOnboardingView } from '../organizations/onboarding-view';
import { actorLabel, actorOf } from '../auth/actor';
import type { ConsentChanges } from '../preferences/consents';
import { consentRecord, withdrawalBody, withdrawnConsentView } from '../preferences/schemas';

const BASE = '/api/v2.1/customer/{customerId}';
const customerParams = z.object({ customerId });
/** Routes both flows answer: an organization's representative verifies its e-mail, gives consents … the same way. */
const subjectParams = z.object({ customerId: subjectId });
export const codeBody = z.strictObject({ code: z.string().regex(/^\d{6}$/, 'Must be the 6-digit code') });
/** What a customer sends to accept a policy text (the scripts/baseline journey parses it too). */
export const consentBody = z.strictObject({
  accepted: z.literal(true, { error: 'Only an acceptance can be recorded' }),
  version: z.string().trim().min(1).max(100).openapi({ description: 'Names the policy text accepted', example: '2026-01' }),
});

const snapshotResponse = z
  .object({
    customerId: z.string(),
    status: z.string(),
    due: z.array(z.string()).openapi({ description: 'What can be done now, in order' }),
    consents: z.array(z.enum(CONSENT_TYPES)),
    kyc: z.object({ verificationId: z.string(), status: z.string() }).optional(),
    lifecycleStatus: z.enum(LIFECYCLE_STATUSES).optional().openapi({ description: 'Organizations: the lifecycle status' }),
    requirements: z
      .object({
        currentlyDue: z.array(z.string()),
        pendingVerification: z.array(z.string()),
        errors: z.array(z.object({ requirement: z.string(), reason: z.string() })),
      })
      .optional()
      .openapi({ description: 'Organizations: what is due now, what is being checked, what failed' }),
    kybStatus: z.enum(KYB_STATUSES).optional().openapi({ description: 'Organizations: the KYB status' }),
  })
  .openapi('OnboardingState');

const requirementsResponse = z
  .object({
    currentlyDue: z.array(z.string()).openapi({ description: 'What the tenant or its customer must do now, in order', example: ['EMAIL_VERIFICATION'] }),
    pendingVerification: z.array(z.string()).openapi({ description: 'Provided and being checked: KYC_RESULT at the provider, MANUAL_REVIEW with staff' }),
    errors: z
      .array(z.object({ requirement: z.string(), reason: z.string() }))
      .openapi({ description: 'What was checked and failed, e.g. KYC; the reason never quotes a provider finding or a reviewer' }),
  })
  .openapi('Requirements');

/** E-mail and phone verification work alike: send a code (throttled), check it here, tell the workflow. */
const CONTACT_CHANNELS = [
  {
    channel: 'EMAIL',
    what: 'the e-mail address',
    sendPath: '/verify-email/resend',
    verifyPath: '/verify-email',
    requirement: 'EMAIL_VERIFICATION',
    params: subjectParams,
    sendUpdate: resendEmailCodeUpdate,
    verifiedUpdate: emailVerifiedUpdate,
  },
  {
    channel: 'PHONE',
    what: 'the phone number',
    sendPath: '/verify-phone/send',
    verifyPath: '/verify-phone',
    requirement: 'PHONE_VERIFICATION',
    params: customerParams,
    sendUpdate: sendPhoneCodeUpdate,
    verifiedUpdate: phoneVerifiedUpdate,
  },
] as const;

const errors = {
  400: { description: 'Invalid input or wrong code' },
  401: { description: 'Missing or invalid access token' },
  404: { description: 'No such customer for this tenant' },
  409: { description: 'The action does not fit the onboarding\'s current step (INVALID_STATE)' },
};

/** The snapshot's public fields; an organization's carries its lifecycle status, requirements and KYB status too. */
const view = (snapshot: z.infer<typeof snapshotResponse>) => {
  const { customerId, status, due, consents, kyc, lifecycleStatus, requirements, kybStatus } = snapshot;
  return { customerId, status, due, consents, ...(kyc ? { kyc } : {}), ...(kybStatus ? { lifecycleStatus, requirements, kybStatus } : {}) };
};

export function mountOnboardingRoutes(
  mount: Mount,
  deps: {
    onboarding: OnboardingService;
    codes: ReturnType<typeof createCodeChecker>;
    records: OnboardingRecords;
    /** An organization's POST /verification starts its KYB (api/organizations). */
    startKyb: (tenantId: string, organizationId: string) => Promise<{ organizationId: string; kybStatus: KybStatus }>;
    /** An organization's requirements from its tables before KYB, and each person's verification (api/organizations). */
    organizationOnboarding: Pick<OrganizationOnboardingView, 'describe'>;
    /** Consents given after onboarding, and withdrawals (api/preferences/consents.ts). */
    consents: ConsentChanges;
  },
) {
  const { onboarding, codes, records, consents } = deps;
  // The customer takes their own steps with their session token; activating them stays the tenant's decision.
  const step = (path: string, summary: string, security: 'tenant' | 'tenantOrCustomer' = 'tenantOrCustomer') => ({
    path: `${BASE}${path}`,
    summary,
    tag: 'Onboarding steps',
    security,
    capability: ['SCT01', 'SCT02'] as const,
  });

  for (const contact of CONTACT_CHANNELS) {
    mountRoute(mount, {
      method: 'post',
      ...step(contact.sendPath, `Send a verification code to ${contact.what} (throttled)`),
      params: contact.params,
      responses: {
        202: { description: 'The code is on its way' },
        429: { description: 'Asked again too soon' },
        503: { description: 'The code could not be sent; ask again after Retry-After' },
        ...errors,
      },
      handler: async ({ params, req }) => {
        await onboarding.send(tenantOf(req), params.customerId, contact.sendUpdate);
        return { status: 202, body: { sent: true } };
      },
    });

    mountRoute(mount, {
      method: 'post',
      ...step(contact.verifyPath, `Verify ${contact.what} with the code sent to it`),
      params: contact.params,
      body: codeBody,
      responses: { 200: { description: 'Verified; the onboarding moved on', schema: snapshotResponse }, ...errors },
      handler: async ({ params, body, req }) => {
        const tenantId = tenantOf(req);
        // Refuse an out-of-order attempt before it spends one of the code's five tries.
        await onboarding.expectDue(tenantId, params.customerId, contact.requirement, `verify ${contact.what}`);
        await codes.check(tenantId, params.customerId, contact.channel, body.code);
        return { status: 200, body: view(await onboarding.send(tenantId, params.customerId, contact.verifiedUpdate)) };
      },
    });
  }

  mountRoute(mount, {
    method: 'post',
    ...step('/consents/{type}', 'Record that the customer accepted a policy text'),
    params: subjectParams.extend({ type: z.enum(CONSENT_TYPES) }),
    body: consentBody,
    responses: { 201: { description: 'Consent recorded', schema: snapshotResponse }, ...errors },
    handler: async ({ params, body, req }) => {
      const [tenantId, { customerId }] = [tenantOf(req), params];
      const consent = { type: params.type, version: body.version, ipAddress: req.ip, userAgent: req.get('user-agent')?.slice(0, 500) };
      // An active customer's onboarding has ended: the consent (a re-acceptance, MARKETING later) is recorded here.
      if (consents.isAfterOnboarding(await onboarding.customerStatus(tenantId, customerId))) {
        return { status: 201, body: { customerId, due: [], ...(await consents.give(tenantId, customerId, consent)) } };
      }
      return { status: 201, body: view(await onboarding.send(tenantId, customerId, giveConsentUpdate, consent)) };
    },
  });

  mountRoute(mount, {
    method: 'post',
    ...step('/consents/{type}/withdrawal', 'Withdraw a consent; the record is kept, with when, by whom and why'),
    params: subjectParams.extend({ type: z.enum(CONSENT_TYPES) }),
    body: withdrawalBody,
    responses: {
      200: { description: 'Withdrawn, with its effect: MARKETING turns marketing off; a required consent follows requiredConsentWithdrawal', schema: withdrawnConsentView },
      ...errors,
      409: {
        description:
          'Nothing of the type in force (CONFLICT); a required consent while onboarding (INVALID_STATE); a required consent under requiredConsentWithdrawal REFUSE (CONFLICT)',
      },
    },
    handler: async ({ params, body, req }) => ({
      status: 200,
      body: await consents.withdraw(tenantOf(req), params.customerId, params.type, actorLabel(actorOf(req)), body.reason),
    }),
  });

  mountRoute(mount, {
    method: 'get',
    ...step('/consents', 'List the consents the customer gave'),
    params: subjectParams,
    responses: {
      200: {
        description: 'Consents, newest first; withdrawn ones show withdrawnAt',
        schema: z.object({ data: z.array(consentRecord) }),
      },
      ...errors,
    },
    handler: async ({ params, req }) => {
      const tenantId = tenantOf(req);
      await onboarding.customerStatus(tenantId, params.customerId);
      return { status: 200, body: { data: await records.consents(tenantId, params.customerId) } };
    },
  });

  mountRoute(mount, {
    method: 'post',
    ...step('/verification', 'Start KYC (an individual) or KYB (an organization) once its prerequisites are met'),
    params: subjectParams,
    responses: {
      202: {
        description: 'KYC started (an individual), or KYB started (an organization: the same answer as PUT /v2/kyb/initiateKYBStatus)',
        schema: z.union([z.object({ verificationId: z.string(), status: z.enum(CUSTOMER_STATUSES) }), kybStarted]),
      },
      ...errors,
    },
    handler: async ({ params, req }) => ({
      status: 202,
      body: params.customerId.startsWith('org_')
        ? await deps.startKyb(tenantOf(req), params.customerId)
        : await onboarding.send(tenantOf(req), params.customerId, startKycUpdate),
    }),
  });

  mountRoute(mount, {
    method: 'post',
    ...step('/activation', 'Activate the customer once KYC is approved', 'tenant'),
    params: subjectParams,
    responses: { 200: { description: 'The customer is ACTIVE', schema: snapshotResponse }, ...errors },
    handler: async ({ params, req }) => ({
      status: 200,
      body: view(await onboarding.send(tenantOf(req), params.customerId, activateUpdate)),
    }),
  });

  mountRoute(mount, {
    method: 'get',
    ...step('/onboarding', 'The onboarding: status, lifecycle status, requirements, what is due, and the step history'),
    params: subjectParams,
    responses: {
      200: {
        description: 'The onboarding',
        schema: snapshotResponse.extend({
          lifecycleStatus: z.enum(LIFECYCLE_STATUSES).openapi({ description: 'ONBOARDING until an outcome; then ACTIVE, REJECTED, EXPIRED, or a status staff set' }),
          requirements: requirementsResponse,
          history: z.array(z.object({ status: z.string(), at: z.string() })),
          persons: z
            .array(z.object({ partyId: z.string(), reasons: z.array(z.enum(['REPRESENTATIVE', 'DIRECTOR', 'UBO'])), status: z.string() }))
            .optional()
            .openapi({ description: 'Organizations: each person KYB verifies (representative, directors, UBOs) and the state of their identity check' }),
        }),
      },
      ...errors,
    },
    handler: async ({ params, req }) => {
      const tenantId = tenantOf(req);
      const snapshot = await onboarding.snapshot(tenantId, params.customerId);
      const { lifecycleStatus, requirements } = snapshot;
      const history = await records.statusHistory(tenantId, params.customerId);
      if (!('kybStatus' in snapshot)) return { status: 200, body: { ...view(snapshot), lifecycleStatus, requirements, history } };
      const organization = await deps.organizationOnboarding.describe(tenantId, { ...snapshot, persons: snapshot.persons ?? [] });
      return { status: 200, body: { ...view(snapshot), lifecycleStatus, ...organization, history } };
    },
  });
}
