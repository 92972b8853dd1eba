/**
 * Identity verification at the edge: the details a person supplies when their check lacks them, and compliance
 * staff's decision on any verification in manual review (an individual's own or a child's). The decision passes the
 * four-eyes gate as the case it settles: a person of an organization's check is a PERSON case (by verification id),
 * an individual's own check the INDIVIDUAL case of its customer.
 */
import { actorLabel, actorOf } from '../auth/actor';
import { tenantOf } from '../auth/guards';
import { z } from '../http/openapi';
import { mountRoute, type Mount } from '../http/route';
import { fourEyesResponses } from '../review/decision-responses';
import type { FourEyes } from '../review/four-eyes';
import type { IdentityService } from './service';
import { onboardingCustomerId, personDetailsBody, staffDecisionBody, subjectId, verificationId } from './schemas';

export function mountIdentityRoutes(mount: Mount, identity: IdentityService, fourEyes: FourEyes) {
  mountRoute(mount, {
    method: 'post',
    path: '/api/v2.1/customer/{customerId}/persons/{subjectId}/details',
    summary: 'Details a person supplies for their identity check, with the code from their invitation e-mail',
    tag: 'Identity verification',
    security: 'tenantOrCustomer',
    capability: ['SCT01', 'SCT02'],
    params: z.object({ customerId: onboardingCustomerId, subjectId }),
    body: personDetailsBody,
    responses: {
      200: { description: 'Details stored; the identity check goes on', schema: z.object({ subjectId, status: z.string() }) },
      400: { description: 'Invalid input, or the code is wrong or expired' },
      404: { description: 'No such customer for this tenant' },
      409: { description: 'No invitation outstanding, or the check is not waiting for details' },
    },
    handler: async ({ params, body, req }) => {
      const { profile: p } = body;
      const a = p.address;
      const snapshot = await identity.supplyDetails(tenantOf(req), params.customerId, params.subjectId, body.invitationCode, {
        firstName: body.firstName,
        lastName: body.lastName,
        dateOfBirth: p.dob,
        nationality: p.nationality,
        countryOfResidence: p.country_of_residence,
        address: { line1: a.street_line_1, line2: a.street_line_2, city: a.city, postalCode: a.postal_code, subdivisionCode: a.subdivision_code, country: a.country },
      });
      return { status: 200, body: { subjectId: params.subjectId, status: snapshot.status } };
    },
  });

  mountRoute(mount, {
    method: 'post',
    path: '/api/v2.1/admin/verifications/{verificationId}/decision',
    summary: 'Record a compliance decision on an identity check in manual review (any subject)',
    tag: 'Platform administration',
    security: 'staff',
    roles: ['COMPLIANCE_OFFICER'],
    params: z.object({ verificationId }),
    body: staffDecisionBody,
    responses: {
      200: { description: 'Decision recorded with the signed-in staff member as reviewer; the check has ended', schema: z.object({ verificationId, status: z.string() }) },
      400: { description: 'Invalid input (a body naming a reviewer is refused: the reviewer is the session\'s staff member)' },
      401: { description: 'Missing or invalid platform admin token' },
      404: { description: 'No such verification' },
      ...fourEyesResponses('the check is not in manual review'),
    },
    handler: async ({ params, body, req }) => {
      const decide = async (reason: string) => {
        const result = await identity.decide(params.verificationId, { ...body, reason, reviewer: actorLabel(actorOf(req)) });
        return { status: 200, body: result };
      };
      const ref = await identity.caseOfVerification(params.verificationId);
      // An unknown verification goes straight to the service, which answers its 404.
      return ref ? fourEyes.decide(req, { ...ref, ...body }, decide) : decide(body.reason);
    },
  });
}
