/** The reference lists a tenant reads to fill `occupation_id`, `purpose_id`, `source_of_fund_ids` and `industryType`. */
import { z } from '../http/openapi';
import { mountRoute, type Mount } from '../http/route';
import { REFERENCE_KINDS, type ReferenceDataService, type ReferenceKind } from './service';

const referenceList = z
  .object({
    data: z.array(
      z.object({
        id: z.int().openapi({ example: 42 }),
        code: z.string().openapi({ example: 'SOFTWARE_DEVELOPER' }),
        name: z.string().openapi({ example: 'Software developer' }),
      }),
    ),
  })
  .openapi('ReferenceDataList');

const SUMMARIES: Record<ReferenceKind, string> = {
  occupations: 'List occupations (values of financial_profile.occupation_id)',
  'account-purposes': 'List account purposes (values of financial_profile.purpose_id)',
  'source-of-funds': 'List sources of funds (values of financial_profile.source_of_fund_ids)',
  industries: 'List industries, the NACE Rev. 2 sections (codes are the values of an organization\'s industryType)',
};

export function mountReferenceRoutes(mount: Mount, referenceData: ReferenceDataService) {
  for (const kind of REFERENCE_KINDS) {
    mountRoute(mount, {
      method: 'get',
      path: `/v2/reference/${kind}`,
      summary: SUMMARIES[kind],
      tag: 'Reference data',
      security: 'tenant',
      capability: ['SCT01', 'SCT02'],
      responses: {
        200: { description: 'Every entry, by id', schema: referenceList },
        401: { description: 'Missing or invalid access token' },
        403: { description: 'X-Tenant-ID is not the token\'s tenant' },
      },
      handler: async () => ({ status: 200, body: { data: await referenceData.list(kind) } }),
    });
  }
}
