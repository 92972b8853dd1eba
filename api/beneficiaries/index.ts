/** The beneficiaries feature, built from its clients: `createBeneficiaries(deps).mountRoutes(mount)`. */
import type { Mount } from '../http/route';
import type { TenantSettingsService } from '../tenancy/tenant-settings';
import { createBeneficiaryConfirmation } from './confirmation';
import { createBeneficiaryResend } from './resend';
import { mountBeneficiaryRoutes } from './routes';
import { createBeneficiaryService, type BeneficiaryDeps } from './service';

export { BENEFICIARY_ACCOUNT_PURPOSE } from './service';

export function createBeneficiaries(deps: BeneficiaryDeps & { tenantSettings: Pick<TenantSettingsService, 'get'> }) {
  const beneficiaries = createBeneficiaryService(deps);
  const confirmation = createBeneficiaryConfirmation(deps);
  const resend = createBeneficiaryResend(deps);
  return { beneficiaries, confirmation, resend, mountRoutes: (mount: Mount) => mountBeneficiaryRoutes(mount, { beneficiaries, confirmation, resend }) };
}
