/**
 * A long-lived onboarding continues as new and keeps working. On the time-skipping server, days of daily reminders
 * pass in seconds; the workflow input lowers the history threshold so a few reminders are enough to cross it.
 * Activities are in-memory doubles of the I/O boundary.
 */
import { emailVerifiedUpdate, registerUpdate, snapshotQuery } from '../../common/onboarding-contract';
import { DueRequirementKey } from '../../common/search-attributes';
import { boundaryDoubles, useTimeSkippingOnboardings } from '../support/time-skipping';

const { env, runWorker, register } = useTimeSkippingOnboardings('tnt_continue', 'continue-as-new');

it('continues as new when its history grows long, carrying its state, and still takes a verification', async () => {
  const customerId = 'cust_000000000000000000000201';
  const io = boundaryDoubles();
  await runWorker(io.activities, async () => {
    const { handle, registration } = await register(customerId, { continueAsNewAfterEvents: 60 });
    await env().sleep('1 hour');
    const before = await handle.query(snapshotQuery);
    expect(before).toMatchObject({
      status: 'PENDING_EMAIL_VERIFICATION',
      verificationEmailSent: true,
      lifecycleStatus: 'ONBOARDING',
      requirements: { currentlyDue: expect.arrayContaining(['EMAIL_VERIFICATION']), pendingVerification: [], errors: [] },
    });

    await env().sleep('10 days');
    const current = await handle.describe();
    expect(current.runId).not.toBe(handle.firstExecutionRunId);
    const first = await env().client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId).describe();
    expect(first.status.name).toBe('CONTINUED_AS_NEW');
    expect(current.typedSearchAttributes.get(DueRequirementKey)).toBe('EMAIL_VERIFICATION');

    // The continued run answers the same query, reminds with fresh keys, and takes the customer's next step.
    expect(await handle.query(snapshotQuery)).toEqual(before);
    const reminderKeys = io.emails.filter((email) => email.template === 'reminder').map((email) => email.idempotencyKey);
    expect(reminderKeys.length).toBeGreaterThanOrEqual(9);
    expect(new Set(reminderKeys).size).toBe(reminderKeys.length);
    const verified = await handle.executeUpdate(emailVerifiedUpdate);
    expect(verified).toMatchObject({ status: 'PENDING_PROFILE', due: expect.arrayContaining(['PROFILE']) });
    expect((await handle.describe()).typedSearchAttributes.get(DueRequirementKey)).toBe('PROFILE');
    // The registration is not accepted again by the continued run.
    await expect(handle.executeUpdate(registerUpdate, { args: [registration] })).rejects.toThrow();
  });
});
