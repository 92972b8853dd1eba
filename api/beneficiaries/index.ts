/** The beneficiaries feature, built from its clients: `createBeneficiaries(deps).mountRoutes(mount)`. */
import type { Mount } from '../http/route';
import { createBeneficiaryConfirmation } from './confirmation';
import { mountBeneficiaryRoutes } from './routes';
import { createBeneficiaryService, type BeneficiaryDeps } from './service';

export { BENEFICIARY_ACCOUNT_PURPOSE } from './service';

export function createBeneficiaries(deps: BeneficiaryDeps) {
  const beneficiaries = createBeneficiaryService(deps);
  const confirmation = createBeneficiaryConfirmation(deps);
  return { beneficiaries, confirmation, mountRoutes: (mount: Mount) => mountBeneficiaryRoutes(mount, { beneficiaries, confirmation }) };
}
