/**
 * Route access declarations: mounting refuses a tenant route without a capability (or a staff route without
 * roles), the capability gate refuses a tenant lacking every capability a route names, and a TENANT_ADMIN acts on
 * its own tenant only.
 */
import express, { type Request, type RequestHandler } from 'express';
import type { StaffRole, TenantAccess } from '../../common/access';
import type { Actor } from '../../api/auth/actor';
import { NotFoundError } from '../../api/http/errors';
import { createRegistry, z } from '../../api/http/openapi';
import { mountRoute, type Mount, type RouteInfo, type Security } from '../../api/http/route';
import { tenantInScope } from '../../api/tenancy/admin-scope';
import { capabilityGate } from '../../api/tenancy/capability-gate';

const noGuards = Object.fromEntries(['tenant', 'tenantOrCustomer', 'apiKey', 'staff', 'platformAdmin', 'none'].map((s) => [s, []])) as unknown as Record<Security, RequestHandler[]>;
const mount = (): Mount => ({ router: express.Router(), registry: createRegistry(), guards: noGuards, idempotency: {} as never, checks: () => [] });
const route = (overrides: Partial<RouteInfo>) => ({
  method: 'get' as const,
  path: '/example',
  summary: 'Example',
  tag: 'Example',
  security: 'tenant' as Security,
  responses: { 200: { description: 'OK', schema: z.object({}) } },
  handler: async () => ({ status: 200, body: {} }),
  ...overrides,
});

describe('mountRoute', () => {
  it.each(['tenant', 'tenantOrCustomer', 'apiKey'] as const)('refuses a %s route that declares no capability', (security) => {
    expect(() => mountRoute(mount(), route({ security }))).toThrow(`GET /example is a tenant route and declares no capability`);
    expect(() => mountRoute(mount(), route({ security, capability: [] }))).toThrow('declares no capability');
  });

  it('refuses a staff route that declares no roles, and mounts routes that declare theirs', () => {
    expect(() => mountRoute(mount(), route({ security: 'staff' }))).toThrow('GET /example is a staff route and declares no roles');
    expect(() => mountRoute(mount(), route({ security: 'tenant', capability: 'SCT01' }))).not.toThrow();
    expect(() => mountRoute(mount(), route({ security: 'staff', roles: ['OPERATOR'] }))).not.toThrow();
  });
});

describe('capabilityGate', () => {
  const access = (capabilities: TenantAccess['capabilities']) => ({
    forRequest: async (): Promise<TenantAccess> => ({ tenantId: 'tnt_a', tier: 'CUSTOM', capabilities, ratePerMinute: 100 }),
  });
  const run = async (handlers: RequestHandler[]) => {
    const next = jest.fn();
    await handlers[0]({ tenantId: 'tnt_a' } as Request, {} as never, next);
    return next;
  };

  it('adds nothing to staff, platform or public routes', () => {
    for (const security of ['staff', 'platformAdmin', 'none'] as const) expect(capabilityGate(access([]))({ ...route({ security }), roles: ['OPERATOR'] })).toEqual([]);
  });

  it('lets a tenant holding any one of the listed capabilities through', async () => {
    const gate = capabilityGate(access(['SCT02']))(route({ capability: ['SCT01', 'SCT02'] }));
    expect((await run(gate)).mock.calls).toEqual([[]]);
  });

  it('refuses a tenant holding none of them with 403 Insufficient permissions', async () => {
    const gate = capabilityGate(access(['SCT01', 'SCT11']))(route({ capability: 'SCT02' }));
    const refused = run(gate);
    await expect(refused).rejects.toMatchObject({ status: 403 });
    await refused.catch((error) => expect(error.body()).toEqual({ error: 'FORBIDDEN', message: 'Insufficient permissions' }));
  });
});

describe('tenantInScope', () => {
  const withActor = (actor: Actor) => ({ actor }) as Request;
  const staff = (roles: readonly StaffRole[], tenantId?: string): Actor => ({ type: 'staff', id: 'stf_1', roles, ...(tenantId ? { tenantId } : {}) });

  it("lets a TENANT_ADMIN act on its own tenant and answers 404 for any other", () => {
    const admin = withActor(staff(['TENANT_ADMIN'], 'tnt_a'));
    expect(tenantInScope(admin, 'tnt_a')).toBe('tnt_a');
    expect(() => tenantInScope(admin, 'tnt_b')).toThrow(NotFoundError);
  });

  it('lets platform-wide staff act on any tenant', () => {
    expect(tenantInScope(withActor(staff(['PLATFORM_ADMIN'])), 'tnt_b')).toBe('tnt_b');
    expect(tenantInScope(withActor(staff(['OPERATOR'])), 'tnt_c')).toBe('tnt_c');
  });
});
