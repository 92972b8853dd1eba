/**
 * One declaration per route: its zod schemas validate the request, type the handler and describe the route in
 * the OpenAPI document. Handlers stay a few lines: parse, call one function, shape the answer.
 */
import type { OpenAPIRegistry, ResponseConfig } from '@asteasolutions/zod-to-openapi';
import type { Request, RequestHandler, Response, Router } from 'express';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z as zod, type z } from 'zod';
import { errorBodySchema, rateLimitBodySchema, rateLimitHeaders } from './openapi';
import { ValidationError, type FieldIssue } from './errors';
import { idempotencyHeaders, idempotencyResponses, idempotently } from './idempotency';
import type { IdempotencyService } from './idempotency-store';
import type { Capability, StaffRole } from '../../common/access';

/**
 * Who may call a route. `tenant`: an OAuth access token plus X-Tenant-ID; `tenantOrCustomer`: that, or the
 * customer's own session token; `apiKey`: v1's X-API-Key; `staff`: a staff session with one of `roles`;
 * `platformAdmin`: the static bootstrap token; `none`: public (token endpoint, provider webhooks, health).
 */
export type Security = 'tenant' | 'tenantOrCustomer' | 'apiKey' | 'staff' | 'platformAdmin' | 'none';

/**
 * Per-IP budgets a public route may declare (RATE_LIMIT_TOKEN_PER_IP_PER_MINUTE, RATE_LIMIT_WEBHOOK_PER_IP_PER_MINUTE,
 * RATE_LIMIT_CUSTOMER_SIGN_IN_PER_IP_PER_MINUTE): the token endpoint against secret guessing, the provider webhooks
 * against floods before their signature is checked, customers' sign-in and password-reset routes against password
 * spraying across many addresses (each address's own lockout stops guessing at one).
 */
export type IpRateLimit = 'tokenEndpoint' | 'providerWebhook' | 'customerSignIn';

/** Routes a tenant calls: each names the capability (any one of those listed) its tenant must hold. */
export const TENANT_SECURITY: ReadonlySet<Security> = new Set(['tenant', 'tenantOrCustomer', 'apiKey']);

export interface RouteSpec<Body extends z.ZodType, Params extends z.ZodType, Query extends z.ZodType> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI form: /api/v2.1/customer/{customerId} */
  path: string;
  summary: string;
  tag: string;
  security: Security;
  /** Required on tenant routes: the capability code (or any one of several) the tenant's tier must include. */
  capability?: Capability | readonly Capability[];
  /** Required on staff routes: the roles that may call it. */
  roles?: readonly StaffRole[];
  /** A per-IP request budget. Tenant routes need none: they draw on their tenant's budget per minute. */
  ipRateLimit?: IpRateLimit;
  /**
   * A public route that signs someone in (opens or renews a session): its handler sets `req.actor` on success, and
   * the audit trail records the call then. Refused sign-ins have no actor and are counted by the lockouts instead.
   */
  recordsSignIn?: boolean;
  body?: Body;
  /** Extra request content types the body may come in, beside JSON. */
  bodyContentTypes?: string[];
  /**
   * A multipart/form-data body (file uploads), described here for OpenAPI only: the handler streams it from `req`
   * itself, so no file is buffered by a body parser. Such a route declares no `body`.
   */
  multipartBody?: z.ZodType;
  params?: Params;
  query?: Query;
  /** `contentType` for answers that are not JSON (a download); its schema then describes the bytes. */
  responses: Record<number, { description: string; schema?: z.ZodType; contentType?: string }>;
  /**
   * Whether the route takes an Idempotency-Key. Default: a POST behind a credential (every such route creates or
   * advances something). Routes whose answer is a secret shown once opt out: replaying it would mean storing it.
   */
  idempotent?: boolean;
  handler: (input: {
    body: z.output<Body>;
    params: z.output<Params>;
    query: z.output<Query>;
    req: Request;
    res: Response;
  }) => Promise<RouteAnswer>;
}

/** A JSON body, or a stream of bytes (a download) piped to the client as it is read. */
export type RouteAnswer = { status: number; headers?: Record<string, string> } & ({ body: unknown } | { stream: Readable });

export interface Mount {
  router: Router;
  registry: OpenAPIRegistry;
  guards: Record<Security, RequestHandler[]>;
  idempotency: IdempotencyService;
  /**
   * What runs after authentication and before the body is parsed, per route: rate limits, the capability gate,
   * the role check, the audit recorder. A refusal here happens before anything is read or written.
   */
  checks: RouteChecks;
}

/** What a route check may look at. */
export type RouteInfo = Pick<RouteSpec<z.ZodType, z.ZodType, z.ZodType>, 'method' | 'path' | 'security' | 'capability' | 'roles' | 'tag' | 'ipRateLimit' | 'recordsSignIn'>;
export type RouteChecks = (route: RouteInfo) => RequestHandler[];

export function mountRoute<Body extends z.ZodType, Params extends z.ZodType, Query extends z.ZodType>(
  { router, registry, guards, idempotency, checks }: Mount,
  spec: RouteSpec<Body, Params, Query>,
): void {
  assertDeclaresAccess(spec);
  const idempotent = spec.idempotent ?? (spec.method === 'post' && spec.security !== 'none');
  const limited = rateLimitOf(spec) !== undefined;
  const described = withCapabilityResponse(spec, idempotent ? withIdempotencyResponses(spec.responses) : spec.responses);
  const responses = limited ? withRateLimitResponse(described) : described;
  registry.registerPath({
    method: spec.method,
    path: spec.path,
    summary: spec.summary,
    description: accessDescription(spec),
    tags: [spec.tag],
    security: securityFor(spec.security),
    request: {
      ...(spec.params ? { params: spec.params as never } : {}),
      ...(spec.query ? { query: spec.query as never } : {}),
      ...(idempotent ? { headers: idempotencyHeaders } : {}),
      ...(spec.multipartBody
        ? { body: { required: true, content: { 'multipart/form-data': { schema: spec.multipartBody as never } } } }
        : {}),
      ...(spec.body
        ? {
            body: {
              required: true,
              content: Object.fromEntries(
                ['application/json', ...(spec.bodyContentTypes ?? [])].map((type) => [type, { schema: spec.body! }]),
              ),
            },
          }
        : {}),
    },
    responses: Object.fromEntries(
      Object.entries(responses).map(([status, { description, schema, contentType }]): [string, ResponseConfig] => [
        status,
        {
          description,
          ...(limited ? { headers: Number(status) === 429 ? rateLimitHeaders.extend({ 'Retry-After': zod.string() }) : rateLimitHeaders } : {}),
          content: { [contentType ?? 'application/json']: { schema: schema ?? (Number(status) >= 400 ? errorBodySchema : ({} as never)) } },
        },
      ]),
    ),
  });

  const expressPath = spec.path.replace(/\{(\w+)\}/g, ':$1');
  router[spec.method](expressPath, ...guards[spec.security], ...checks(spec), async (req, res) => {
    // The path names the resource, so a malformed one is reported alone, before the query and the body.
    const params = parse(spec.params, req.params);
    const query = parse(spec.query ?? noQueryParameters, req.query);
    const input = {
      params,
      query,
      body: parse(spec.body, req.body ?? {}),
      req,
      res,
    };
    const handle = () => spec.handler(input as never);
    const result = idempotent ? await idempotently(idempotency, req, handle as () => Promise<JsonAnswer>) : await handle();
    res.status(result.status).set(result.headers ?? {});
    if ('stream' in result) {
      // Headers are sent with the first byte: a failure after that can only cut the connection, never answer 5xx.
      await pipeline(result.stream, res).catch(() => res.destroy());
      return;
    }
    res.json(result.body);
  });
}

function withIdempotencyResponses(responses: RouteSpec<z.ZodType, z.ZodType, z.ZodType>['responses']) {
  const described = (status: 409 | 422) => ({
    ...responses[status],
    description: responses[status] ? `${responses[status].description}; or ${idempotencyResponses[status]}` : idempotencyResponses[status],
  });
  return { ...responses, 409: described(409), 422: described(422) };
}

/** Every tenant route may answer the capability gate's 403; the document says so beside the route's own 403s. */
function withCapabilityResponse(spec: RouteInfo, responses: RouteSpec<z.ZodType, z.ZodType, z.ZodType>['responses']) {
  if (!TENANT_SECURITY.has(spec.security)) return responses;
  const gate = "Insufficient permissions: the tenant's tier holds none of the route's capabilities (FORBIDDEN)";
  return { ...responses, 403: { ...responses[403], description: responses[403] ? `${responses[403].description}; or ${gate}` : gate } };
}

/** A route that answers 429 of its own (a code asked again too soon) keeps its description beside the budget's. */
function withRateLimitResponse(responses: RouteSpec<z.ZodType, z.ZodType, z.ZodType>['responses']) {
  const budget = 'Too many requests in this minute (RATE_LIMIT_EXCEEDED, with Retry-After)';
  const description = responses[429] ? `${responses[429].description}; or ${budget.charAt(0).toLowerCase()}${budget.slice(1)}` : budget;
  return { ...responses, 429: { description, schema: rateLimitBodySchema } };
}

/** Which budget a request to the route draws on: its tenant's per minute, its caller's IP's, or none. */
export function rateLimitOf(route: RouteInfo): { by: 'tenant' } | { by: 'ip'; limit: IpRateLimit } | undefined {
  if (TENANT_SECURITY.has(route.security)) return { by: 'tenant' };
  if (route.ipRateLimit) return { by: 'ip', limit: route.ipRateLimit };
  return undefined;
}

/** A route without its capability or roles would be open to every tenant or every staff member: refuse to mount it. */
function assertDeclaresAccess(spec: RouteInfo): void {
  const capabilities = [spec.capability ?? []].flat();
  if (TENANT_SECURITY.has(spec.security) && capabilities.length === 0) {
    throw new Error(`${spec.method.toUpperCase()} ${spec.path} is a tenant route and declares no capability`);
  }
  if (spec.security === 'staff' && !spec.roles?.length) {
    throw new Error(`${spec.method.toUpperCase()} ${spec.path} is a staff route and declares no roles`);
  }
}

function accessDescription(spec: RouteInfo): string | undefined {
  const capabilities = [spec.capability ?? []].flat();
  if (capabilities.length) return `Capability: ${capabilities.join(' or ')}.`;
  if (spec.roles?.length) return `Staff roles: ${spec.roles.join(', ')}.`;
  return undefined;
}

/** A route that declares no query parameters refuses any, as a body refuses unknown fields. */
const noQueryParameters = zod.strictObject({});

function securityFor(security: Security): Array<Record<string, string[]>> {
  if (security === 'tenant') return [{ bearer: [], tenant: [] }];
  if (security === 'tenantOrCustomer') return [{ bearer: [], tenant: [] }, { customerSession: [], tenant: [] }];
  if (security === 'staff') return [{ staffSession: [] }];
  if (security === 'platformAdmin') return [{ platformAdmin: [] }];
  if (security === 'apiKey') return [{ apiKey: [] }];
  return [];
}

type JsonAnswer = Extract<RouteAnswer, { body: unknown }>;

/** Validates a value against a route's schema; a failure is a 400 VALIDATION_ERROR naming each field. */
export function parse<T extends z.ZodType>(schema: T | undefined, value: unknown): z.output<T> | undefined {
  if (!schema) return undefined;
  const result = schema.safeParse(value, {
    error: (issue) => (issue.input === undefined && issue.code === 'invalid_type' ? 'Required' : undefined),
  });
  if (result.success) return result.data;
  throw new ValidationError(result.error.issues.map(toFieldIssue));
}

function toFieldIssue(issue: z.core.$ZodIssue): FieldIssue {
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    return { field: [...path, issue.keys.join(',')].join('.'), message: 'Unknown field' };
  }
  return { field: path.join('.') || 'body', message: issue.message };
}
