/**
 * A customer's grant to a third-party provider, from creation to its end: it sleeps until the grant's expiry and
 * then marks it EXPIRED (only if it is still ACTIVE), unless a revocation arrives first. A revocation is written by
 * the API before it signals, so the refusal is immediate and this run ends without touching the row. The history
 * holds ids and the expiry instant only.
 */
import { condition, proxyActivities, setCurrentDetails, setHandler } from '@temporalio/workflow';
import type { createTppConsentActivities } from '../activities/tpp-consents';
import { tppConsentRevokedSignal, type TppConsentInput } from '../common/tpp-consent-contract';
import { currentDetailsText } from '../common/workflow-labels';
import { DATABASE_WRITES } from './activity-policies';

const { expireTppConsent } = proxyActivities<ReturnType<typeof createTppConsentActivities>>(DATABASE_WRITES);

export async function tppConsent({ tenantId, consentId, expiresAt }: TppConsentInput): Promise<'REVOKED' | 'EXPIRED'> {
  let revoked = false;
  setHandler(tppConsentRevokedSignal, () => void (revoked = true));
  setCurrentDetails(currentDetailsText({ step: 'ACTIVE', waitingOn: 'nobody', due: [`EXPIRY ${expiresAt}`] }));
  // Date.now() is the workflow's deterministic clock here. A timer needs a positive duration: a grant already past
  // its expiry (a run started late) waits one millisecond.
  const untilExpiry = Math.max(1, Date.parse(expiresAt) - Date.now());
  if (await condition(() => revoked, untilExpiry)) {
    setCurrentDetails(currentDetailsText({ step: 'REVOKED', waitingOn: 'nobody', due: [] }));
    return 'REVOKED';
  }
  await expireTppConsent({ tenantId, consentId });
  setCurrentDetails(currentDetailsText({ step: 'EXPIRED', waitingOn: 'nobody', due: [] }));
  return 'EXPIRED';
}
