/**
 * The baseline journey's HTTP edge, on the project's own paths with the project's own zod schemas (imported), so the
 * one client of the bench's journey (scripts/bench-onboarding.ts `onboard`) drives both without a change. Each route
 * parses, sends one update (or the registration's update-with-start, or the status query) and shapes the answer.
 * POST /baseline/kyc-callback is where the stand-in provider posts its decision: it becomes the workflow's signal,
 * as the project's provider callback does (without the project's signature check and verification lookup).
 */
import { randomBytes } from 'node:crypto';
import type { Express, Request, Response } from 'express';
import { ActivityFailure, ApplicationFailure, WithStartWorkflowOperation, WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { z } from 'zod';
import { ApiError, ValidationError } from '../../api/http/errors';
import { parse } from '../../api/http/route';
import { individualRegistrationBody } from '../../api/individuals/registration-routes';
import { codeBody, consentBody } from '../../api/onboarding/routes';
import { profileUpdateBody } from '../../api/profiles/update-schema';
import { customerId as customerIdSchema } from '../../api/schemas/params';
import { CONSENT_TYPES } from '../../common/onboarding-policy';
import { REGISTRATION_ROUTES } from '../bench-routes';
import {
  activateUpdate,
  BASELINE_JOURNEY_WORKFLOW,
  consentUpdate,
  journeyRegisterUpdate,
  journeyWorkflowId,
  kycResultSignal,
  profileUpdate,
  startKycUpdate,
  statusQuery,
  verifyEmailUpdate,
  type KycCallback,
} from './journey-contract';

const STEP = '/api/v2.1/customer/:customerId';
export const KYC_CALLBACK_PATH = '/baseline/kyc-callback';
export const JOURNEY_PATHS = [
  REGISTRATION_ROUTES['v2.1'].path,
  `${STEP}/verify-email`,
  '/v2/profile/:customerId',
  `${STEP}/consents/:type`,
  `${STEP}/verification`,
  `${STEP}/onboarding`,
  `${STEP}/activation`,
  KYC_CALLBACK_PATH,
];

const params = z.object({ customerId: customerIdSchema });
const consentParams = params.extend({ type: z.enum(CONSENT_TYPES) });
const callbackBody = z.object({ customerId: customerIdSchema, verificationId: z.string(), checkId: z.string(), decision: z.enum(['APPROVED', 'REJECTED']) });

/** A refused update keeps its meaning: a wrong code is a 400, a step out of order a 409, an unknown customer a 404. */
function sendError(res: Response, error: unknown) {
  const failure = error instanceof WorkflowUpdateFailedError ? (error.cause instanceof ActivityFailure ? error.cause.cause : error.cause) : undefined;
  let known: ApiError | undefined = error instanceof ApiError ? error : undefined;
  if (failure instanceof ApplicationFailure && failure.type === 'InvalidCode') known = new ValidationError([{ field: 'code', message: failure.message }], 'Verification failed');
  if (failure instanceof ApplicationFailure && failure.type === 'InvalidState') known = new ApiError(409, 'INVALID_STATE', failure.message);
  if (error instanceof WorkflowNotFoundError) known = new ApiError(404, 'NOT_FOUND', 'No such customer');
  if (known) return void res.status(known.status).json(known.body());
  console.error(error);
  res.status(503).json({ error: 'SERVICE_UNAVAILABLE', message: 'The step could not be completed' });
}

export function mountJourneyRoutes(app: Express, client: Client, taskQueue: string) {
  const handle = (status: number, work: (req: Request) => Promise<unknown>) => async (req: Request, res: Response) => {
    try {
      const body = await work(req);
      res.status(status).json(body ?? {});
    } catch (error) {
      sendError(res, error);
    }
  };
  const workflowOf = (req: Request) => client.workflow.getHandle(journeyWorkflowId(parse(params, req.params)!.customerId));

  app.post(
    REGISTRATION_ROUTES['v2.1'].path,
    handle(201, async (req) => {
      const { firstName, lastName, email } = parse(individualRegistrationBody, req.body ?? {})!;
      const customerId = `cust_${randomBytes(12).toString('hex')}`;
      const receipt = await client.workflow.executeUpdateWithStart(journeyRegisterUpdate, {
        args: [{ customerId, firstName, lastName, email }],
        startWorkflowOperation: new WithStartWorkflowOperation(BASELINE_JOURNEY_WORKFLOW, {
          workflowId: journeyWorkflowId(customerId),
          taskQueue,
          workflowIdConflictPolicy: 'FAIL',
          args: [],
        }),
      });
      return { ...receipt, firstName, lastName, email };
    }),
  );
  app.post(`${STEP}/verify-email`, handle(200, (req) => workflowOf(req).executeUpdate(verifyEmailUpdate, { args: [parse(codeBody, req.body ?? {})!] })));
  app.put(
    '/v2/profile/:customerId',
    handle(200, (req) => workflowOf(req).executeUpdate(profileUpdate, { args: [parse(profileUpdateBody, req.body ?? {})! as Record<string, unknown>] })),
  );
  app.post(
    `${STEP}/consents/:type`,
    handle(201, (req) => {
      const consent = { type: parse(consentParams, req.params)!.type, version: parse(consentBody, req.body ?? {})!.version };
      return workflowOf(req).executeUpdate(consentUpdate, { args: [consent] });
    }),
  );
  app.post(`${STEP}/verification`, handle(202, (req) => workflowOf(req).executeUpdate(startKycUpdate)));
  app.get(`${STEP}/onboarding`, handle(200, (req) => workflowOf(req).query(statusQuery)));
  app.post(`${STEP}/activation`, handle(200, (req) => workflowOf(req).executeUpdate(activateUpdate)));
  app.post(
    KYC_CALLBACK_PATH,
    handle(204, async (req) => {
      const { customerId, ...callback } = parse(callbackBody, req.body ?? {})!;
      await client.workflow.getHandle(journeyWorkflowId(customerId)).signal(kycResultSignal, callback as KycCallback);
    }),
  );
}
