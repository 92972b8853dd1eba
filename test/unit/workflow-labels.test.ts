/** The Temporal UI's texts and the individual's KycStatus: pure functions, checked on their own. */
import { parseConfig } from '../../common/config';
import { checkDetailsText, currentDetailsText, identityLabels, onboardingLabels } from '../../common/workflow-labels';
import { kycStatusOf } from '../../workflows/individual/kyc-status';

it('keeps a summary on one line and falls back to the tenant id when no name is known', () => {
  expect(onboardingLabels('INDIVIDUAL', { tenantId: 'tnt_1', tenantName: ' Acme\n  Bank ', customerId: 'cust_1' }).staticSummary).toBe('Individual onboarding · Acme Bank');
  expect(identityLabels({ tenantId: 'tnt_1', customerId: 'org_1', role: 'UBO', subjectId: 'pty_1', parentWorkflowId: 'onboarding/tnt_1/org_1' }).staticSummary).toBe('KYC of UBO pty_1 · tnt_1');
});

it('says who holds a step and what is due', () => {
  expect(currentDetailsText({ step: 'PENDING_KYC', waitingOn: 'tenant', due: ['KYC'] })).toBe('**Step:** PENDING_KYC (waiting on the tenant)\n**Due:** KYC');
  expect(checkDetailsText('KYC', 'AWAITING_DETAILS')).toBe('**Step:** AWAITING_DETAILS (waiting on the person)\n**Due:** KYC');
  expect(checkDetailsText('KYB', 'APPROVED')).toBe('**Step:** APPROVED\n**Due:** -');
});

it('derives the individual KycStatus from the onboarding status, leaving it alone on expiry', () => {
  expect(['PENDING_CONSENTS', 'KYC_IN_PROGRESS', 'MANUAL_REVIEW', 'KYC_APPROVED', 'ACTIVE', 'REJECTED', 'EXPIRED'].map((s) => kycStatusOf(s as never))).toEqual([
    'NOT_STARTED',
    'IN_PROGRESS',
    'MANUAL_REVIEW',
    'APPROVED',
    'APPROVED',
    'REJECTED',
    undefined,
  ]);
});

it('reads the tracing variables: unset is off, a bad endpoint or ratio stops start-up naming it', () => {
  expect(parseConfig({}).OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
  expect(parseConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4318' }).OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://localhost:4318');
  expect(() => parseConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'localhost:4318' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
  expect(() => parseConfig({ OTEL_TRACES_SAMPLE_RATIO: '2' })).toThrow(/OTEL_TRACES_SAMPLE_RATIO/);
});
