/**
 * Path and query parameters, one schema per kind, used by every route. An id is checked against the shape its
 * generator gives it (`prefix_` + 24 lowercase hex digits, see newCustomerId, newOrganizationId and the tenant and API-key services),
 * so nothing else — a `%2F`, a dot segment, a control character — reaches a query or a workflow id. A malformed
 * id is a 400 VALIDATION_ERROR naming the parameter; a well-formed id nobody has stays a 404.
 */
import { z } from '../http/openapi';

export const idOf = (prefix: string, example: string) =>
  z
    .string()
    .regex(new RegExp(`^${prefix}_[0-9a-f]{24}$`), `Must be a ${prefix}_ id (${prefix}_ and 24 lowercase hex digits)`)
    .openapi({ example });

export const customerId = idOf('cust', 'cust_0f4c2a9b7d1e3f5a6b8c9d0e');
export const organizationId = idOf('org', 'org_3a9d0c7e1b5f2a4c6e8d0b1f');
/** Either kind of onboarding subject, on the v2.1 onboarding routes both flows answer (verify-email, consents …). */
export const subjectId = z
  .string()
  .regex(/^(cust|org)_[0-9a-f]{24}$/, 'Must be a cust_ or org_ id (the prefix and 24 lowercase hex digits)')
  .openapi({ example: 'cust_0f4c2a9b7d1e3f5a6b8c9d0e' });
export const tenantId = idOf('tnt', 'tnt_5b0e8c1f2a7d94e3c6b10a2f');
export const apiKeyId = idOf('key', 'key_5b0e8c1f2a7d94e3c6b10a2f');
export const oauthClientId = idOf('cli', 'cli_5b0e8c1f2a7d94e3c6b10a2f');

/** A provider or other name that appears in a route: lowercase letters, digits and dashes. */
export const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'Must be lowercase letters, digits and dashes (at most 32)');

/** Deep offsets cost the database a scan of every skipped row: past page 1000 a client should narrow its query. */
export const MAX_PAGE = 1000;
export const MAX_PAGE_SIZE = 100;

/** A positive decimal integer up to `max`, written plainly: no exponent, hex, sign, fraction or repeated key. */
export const boundedInt = (max: number, fallback: number) =>
  z
    .string()
    .regex(/^[1-9]\d{0,5}$/, `Must be a whole number from 1 to ${max}`)
    .transform(Number)
    .pipe(z.number().max(max, `Must be a whole number from 1 to ${max}`))
    .default(fallback)
    .openapi({ type: 'integer', minimum: 1, maximum: max, default: fallback });

/** The page size of a cursor-paged list: 1 to 100, default 20, written plainly like every number in a query. */
export const pageLimit = boundedInt(MAX_PAGE_SIZE, 20);

export const pagination = {
  page: boundedInt(MAX_PAGE, 1),
  page_size: boundedInt(MAX_PAGE_SIZE, 20),
};
