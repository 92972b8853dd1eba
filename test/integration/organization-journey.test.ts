/**
 * The organization over HTTP, from registration to ACTIVE with every required person verified: two
 * directors (one the representative) and two shareholders, one a company owning 60 % that is itself owned 100 % by
 * a person (a UBO). KYB and each person's identity check run as child workflows of the onboarding; the test checks
 * which ran and how they ended, as compliance staff would in the Temporal UI.
 */
import { randomBytes } from 'node:crypto';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { onboardingWorkflowId } from '../../common/onboarding-contract';
import { DEFAULT_POLICY } from '../../common/onboarding-policy';
import { ORGANIZATION_ONBOARDING_WORKFLOW, registerOrganizationUpdate } from '../../common/organization-contract';
import { organizationRegistration } from '../support/organizations';
import { identityVerificationWorkflowId } from '../../common/identity-contract';
import { kybWorkflowId } from '../../common/kyb-contract';
import { DueRequirementKey, KybStatusKey, OnboardingStatusKey } from '../../common/search-attributes';
import { startHarness, type Harness } from '../support/harness';
import { emailsTo } from '../support/inbox';
import { expectStatus, fullPerson, registerOrganization, uploadCertificate, verifyAndConsent, waitForOrganization } from '../support/organization-journey';
import { createTenant, type TenantSession } from '../support/tenant-client';

let h: Harness;
let tenant: TenantSession;

beforeAll(async () => {
  h = await startHarness('org_journey');
  tenant = await createTenant(h);
});
afterAll(() => h?.close());

const WELCOME = 'Welcome: your account is active';

describe('organization journey', () => {
  it('takes two directors and two shareholders (a 60 % company owned by a person) to ACTIVE, verifying the representative, the directors and both UBOs', async () => {
    const org = await registerOrganization(tenant);
    await verifyAndConsent(h, tenant, org);
    const rep = org.body.representative;

    // Too early: the tables still lack people, owners and the certificate, and the 409 names them.
    const early = await tenant.call('PUT', `/v2/kyb/initiateKYBStatus/${org.id}`);
    expect(early.status).toBe(409);
    expect(early.body.details).toEqual([
      { field: 'status', message: 'ONBOARDING' },
      { field: 'due', message: 'DIRECTORS, OWNERSHIP, DOCUMENT:CERTIFICATE_OF_INCORPORATION' },
    ]);
    const before = await expectStatus(tenant.call('GET', `${org.path}/onboarding`), 200);
    expect(before.requirements.currentlyDue).toEqual(['DIRECTORS', 'OWNERSHIP', 'DOCUMENT:CERTIFICATE_OF_INCORPORATION', 'KYB']);
    // Registration recorded the representative as a party, to be verified.
    expect(before.persons).toEqual([{ partyId: expect.stringMatching(/^pty_/), reasons: ['REPRESENTATIVE'], status: 'NOT_STARTED' }]);

    const representative = await expectStatus(tenant.call('POST', `${org.path}/directors`, { ...fullPerson(rep.firstName, rep.lastName), email: rep.email }), 201);
    expect(representative.partyId).toBe(before.persons[0].partyId);
    const director = await expectStatus(tenant.call('POST', `${org.path}/directors`, fullPerson('Ada', 'Lovelace')), 201);
    const holder = await expectStatus(tenant.call('POST', `${org.path}/shareholders`, { kind: 'PERSON', ...fullPerson('Carol', 'Shaw'), ownershipPercent: 40 }), 201);
    const company = await expectStatus(
      tenant.call('POST', `${org.path}/shareholders`, { kind: 'COMPANY', legalName: 'Holding GmbH', registrationNumber: 'HRB-4711', countryOfIncorporation: 'DEU', ownershipPercent: 60 }),
      201,
    );
    const owner = await expectStatus(
      tenant.call('POST', `${org.path}/shareholders`, { kind: 'PERSON', ...fullPerson('Uma', 'Owner'), ownershipPercent: 100, ownerOf: company.partyId }),
      201,
    );
    await uploadCertificate(h, tenant, org);
    const ready = await expectStatus(tenant.call('GET', `${org.path}/onboarding`), 200);
    expect(ready.requirements.currentlyDue).toEqual(['KYB']);
    const expectedPersons = [
      { partyId: representative.partyId, reasons: ['REPRESENTATIVE', 'DIRECTOR'] },
      { partyId: director.partyId, reasons: ['DIRECTOR'] },
      { partyId: holder.partyId, reasons: ['UBO'] },
      { partyId: owner.partyId, reasons: ['UBO'] },
    ];
    expect(ready.persons).toEqual(expectedPersons.map((p) => ({ ...p, status: 'NOT_STARTED' })));

    expect(await expectStatus(tenant.call('PUT', `/v2/kyb/initiateKYBStatus/${org.id}`), 202)).toEqual({ organizationId: org.id, kybStatus: 'IN_PROGRESS' });
    const approved = await waitForOrganization(tenant, org, 'APPROVED');
    expect(approved).toMatchObject({ kybStatus: 'APPROVED', requirements: { currentlyDue: ['ACTIVATION'], pendingVerification: [], errors: [] } });
    expect(approved.persons).toEqual(expectedPersons.map((p) => ({ ...p, status: 'APPROVED' })));

    // Which children ran, linked to the onboarding, and how each ended. The company shareholder is not a person to verify.
    const parentId = onboardingWorkflowId(tenant.tenantId, org.id);
    const children = [kybWorkflowId(tenant.tenantId, org.id), ...expectedPersons.map((p) => identityVerificationWorkflowId(tenant.tenantId, org.id, p.partyId))];
    for (const workflowId of children) {
      const child = h.temporal.workflow.getHandle(workflowId);
      expect(await child.result()).toMatchObject({ status: 'APPROVED' });
      expect((await child.describe()).parentExecution?.workflowId).toBe(parentId);
    }
    const companyCheck = h.temporal.workflow.getHandle(identityVerificationWorkflowId(tenant.tenantId, org.id, company.partyId));
    await expect(companyCheck.describe()).rejects.toThrow();

    const active = await expectStatus(tenant.call('POST', `${org.path}/activation`), 200);
    expect(active).toMatchObject({ status: 'ACTIVE', lifecycleStatus: 'ACTIVE' });
    const parent = h.temporal.workflow.getHandle(parentId);
    expect(await parent.result()).toEqual({ organizationId: org.id, status: 'ACTIVE' });
    expect((await emailsTo(h.infra.inboxUrl, org.email)).map((e) => e.subject)).toContain(WELCOME);
    const attributes = (await parent.describe()).typedSearchAttributes;
    expect([attributes.get(OnboardingStatusKey), attributes.get(KybStatusKey), attributes.get(DueRequirementKey)]).toEqual(['ACTIVE', 'APPROVED', undefined]);
    const history = await h.db('customer_status_history').where({ tenant_id: tenant.tenantId, customer_id: org.id }).orderBy('id').pluck('status');
    expect(history).toEqual(['ONBOARDING', 'APPROVED', 'ACTIVE']);
    const profile = await h.db('organization_profiles').where({ tenant_id: tenant.tenantId, customer_id: org.id }).first('kyb_status');
    expect(profile.kyb_status).toBe('APPROVED');
  });

  it('continues as new between steps when its history grows long, carrying its state, and still reaches ACTIVE', async () => {
    const organizationId = `org_${randomBytes(12).toString('hex')}`;
    const { captcha: _captcha, representative, ...organization } = organizationRegistration();
    const workflowId = onboardingWorkflowId(tenant.tenantId, organizationId);
    // As the API registers it, with a history threshold low enough that the first steps cross it.
    const start = new WithStartWorkflowOperation(ORGANIZATION_ONBOARDING_WORKFLOW, {
      workflowId,
      taskQueue: h.config.TEMPORAL_TASK_QUEUE,
      args: [{ tenantId: tenant.tenantId, customerId: organizationId, policy: DEFAULT_POLICY, continueAsNewAfterEvents: 25 }],
      workflowIdConflictPolicy: 'FAIL',
    });
    const first = await h.temporal.workflow.executeUpdateWithStart(registerOrganizationUpdate, {
      args: [{ organization: organization as never, representative }],
      startWorkflowOperation: start,
    });
    expect(first).toMatchObject({ organizationId, status: 'ONBOARDING' });
    const org = { id: organizationId, path: `/api/v2.1/customer/${organizationId}`, email: representative.email, body: { ...organization, representative } };
    await verifyAndConsent(h, tenant, org);
    await expectStatus(tenant.call('POST', `${org.path}/directors`, { ...fullPerson(representative.firstName, representative.lastName), email: representative.email }), 201);
    await expectStatus(tenant.call('POST', `${org.path}/shareholders`, { kind: 'PERSON', ...fullPerson('Olga', 'Owner'), ownershipPercent: 100 }), 201);
    await uploadCertificate(h, tenant, org);

    const handle = h.temporal.workflow.getHandle(workflowId);
    const started = (await handle.fetchHistory()).events?.[0].workflowExecutionStartedEventAttributes;
    expect(started?.continuedExecutionRunId).toEqual(expect.any(String));
    expect((await h.temporal.workflow.getHandle(workflowId, started!.continuedExecutionRunId!).describe()).status.name).toBe('CONTINUED_AS_NEW');
    // The continued run answers the same snapshot and takes the tenant's next step.
    expect((await expectStatus(tenant.call('GET', `${org.path}/onboarding`), 200)).requirements.currentlyDue).toEqual(['KYB']);
    await expectStatus(tenant.call('PUT', `/v2/kyb/initiateKYBStatus/${org.id}`), 202);
    await waitForOrganization(tenant, org, 'APPROVED');
    await expectStatus(tenant.call('POST', `${org.path}/activation`), 200);
    expect(await handle.result()).toEqual({ organizationId, status: 'ACTIVE' });
  });
});
