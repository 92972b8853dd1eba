/**
 * STAFF_AUTH=oidc: staff sign in at the identity provider, so the local login is not there. A back office that asks
 * for a cookie session is told so plainly (400) rather than left with a bare 404; any other login attempt still
 * answers 404, as it always has.
 */
import { NotFoundError, ValidationError } from '../http/errors';
import { z } from '../http/openapi';
import { mountRoute, type Mount } from '../http/route';

const OIDC_SIGN_IN = 'STAFF_AUTH=oidc: staff sign in at the identity provider and call the API with its access token';

export function mountOidcLoginRefusal(mount: Mount): void {
  mountRoute(mount, {
    method: 'post',
    path: '/api/v2.1/staff/auth/login',
    summary: 'Not available with STAFF_AUTH=oidc: staff sign in at the identity provider',
    tag: 'Staff authentication',
    security: 'none',
    // Only `session` is looked at; the rest of a local login's body is ignored, never validated or used.
    body: z.object({ session: z.enum(['token', 'cookie']).optional() }),
    responses: {
      400: { description: 'A cookie session was asked for: cookie sessions exist only with STAFF_AUTH=local' },
      404: { description: 'Any other login: there is no local login' },
    },
    handler: async ({ body }) => {
      if (body.session === 'cookie') {
        throw new ValidationError([{ field: 'session', message: 'Cookie sessions need STAFF_AUTH=local' }], `${OIDC_SIGN_IN}; cookie sessions exist only with STAFF_AUTH=local`);
      }
      throw new NotFoundError(OIDC_SIGN_IN);
    },
  });
}
