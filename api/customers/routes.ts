import { z } from '../http/openapi';
import { mountRoute, type Mount } from '../http/route';
import { customerId } from '../schemas/params';
import { tenantOf } from '../auth/guards';
import { CUSTOMER_STATUSES, CUSTOMER_TYPES } from '../../common/statuses';
import type { createCustomerService } from './service';

const customerResponse = z
  .object({
    customerId: z.string(),
    customerType: z.enum(CUSTOMER_TYPES),
    email: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    phone: z.string().nullable(),
    status: z.enum(CUSTOMER_STATUSES),
    marketingConsent: z.boolean(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('Customer');

export function mountCustomerRoutes(mount: Mount, customers: ReturnType<typeof createCustomerService>) {
  mountRoute(mount, {
    method: 'get',
    path: '/api/v2.1/customer/{customerId}',
    summary: 'Get a customer and their onboarding status',
    tag: 'Customers',
    security: 'tenantOrCustomer',
    capability: ['SCT01', 'SCT02'],
    params: z.object({ customerId }),
    responses: {
      200: { description: 'The customer', schema: customerResponse },
      401: { description: 'Missing or invalid access token' },
      403: { description: 'X-Tenant-ID is not the token\'s tenant' },
      404: { description: 'No such customer for this tenant' },
    },
    handler: async ({ params, req }) => ({ status: 200, body: await customers.get(tenantOf(req), params.customerId) }),
  });
}
