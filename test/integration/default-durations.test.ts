/**
 * The default policy's day-long waits (reminder every 24 hours, expiry after 30 days without progress), proved on
 * the time-skipping test server: a month passes in seconds. Activities are in-memory doubles of the I/O boundary
 * that record each call with the workflow time the server scheduled it at.
 */
import { emailVerifiedUpdate } from '../../common/onboarding-contract';
import { boundaryDoubles, useTimeSkippingOnboardings } from '../support/time-skipping';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const { env, runWorker, register } = useTimeSkippingOnboardings('tnt_durations', 'default-durations');

/** Whole minutes from `since` to each call: reminders drift by the milliseconds each reminder e-mail takes. */
const minutesAfter = (since: number, calls: Array<{ at: number }>) => calls.map((call) => Math.round((call.at - since) / MINUTE));
/** Reminders at 24 h, 48 h, … while before the 30-day deadline: days 1 to 29; at day 30 the deadline wins. */
const DAILY_UNTIL_DEADLINE = Array.from({ length: 29 }, (_, i) => (i + 1) * (DAY / MINUTE));

it('reminds every 24 hours and expires the onboarding 30 days after registration without progress', async () => {
  const customerId = 'cust_000000000000000000000101';
  const io = boundaryDoubles();
  let registeredAt = 0;
  await runWorker(io.activities, async () => {
    const registered = await register(customerId);
    registeredAt = registered.registeredAt;
    expect(await registered.handle.result()).toEqual({ customerId, status: 'EXPIRED' });
  });

  const reminders = io.emails.filter((email) => email.template === 'reminder');
  expect(minutesAfter(registeredAt, reminders)).toEqual(DAILY_UNTIL_DEADLINE);
  expect(new Set(reminders.map((reminder) => reminder.idempotencyKey)).size).toBe(reminders.length);

  const expired = io.emails.filter((email) => email.template === 'expired');
  expect(minutesAfter(registeredAt, expired)).toEqual([30 * (DAY / MINUTE)]);
  expect(io.statuses.map(({ status }) => status)).toEqual(['EXPIRED']);
  expect(minutesAfter(registeredAt, io.statuses)).toEqual([30 * (DAY / MINUTE)]);
});

it('restarts the 30-day clock when the e-mail is verified: reminds at PENDING_PROFILE and expires 30 days after verification', async () => {
  const customerId = 'cust_000000000000000000000102';
  const io = boundaryDoubles();
  let verifiedAt = 0;
  await runWorker(io.activities, async () => {
    const { handle, registeredAt } = await register(customerId);
    await env().sleep('25 hours');
    expect(minutesAfter(registeredAt, io.emails)).toEqual([DAY / MINUTE]); // the first reminder, still unverified

    // Completes after its recordStatus activity; no timer has to fire, so awaiting it does not need time to skip.
    expect(await handle.executeUpdate(emailVerifiedUpdate)).toMatchObject({ status: 'PENDING_PROFILE' });
    verifiedAt = await env().currentTimeMs();
    expect(verifiedAt - registeredAt).toBeGreaterThanOrEqual(25 * 60 * MINUTE);
    expect(await handle.result()).toEqual({ customerId, status: 'EXPIRED' });
  });

  const reminders = io.emails.filter((email) => email.template === 'reminder').slice(1);
  expect(reminders.map(({ recordedStatus }) => recordedStatus)).toEqual(DAILY_UNTIL_DEADLINE.map(() => 'PENDING_PROFILE'));
  expect(minutesAfter(verifiedAt, reminders)).toEqual(DAILY_UNTIL_DEADLINE);
  expect(new Set(io.emails.map((email) => email.idempotencyKey)).size).toBe(io.emails.length);

  expect(io.statuses.map(({ status }) => status)).toEqual(['PENDING_PROFILE', 'EXPIRED']);
  expect(minutesAfter(verifiedAt, io.statuses.slice(1))).toEqual([30 * (DAY / MINUTE)]);
  expect(minutesAfter(verifiedAt, io.emails.filter((email) => email.template === 'expired'))).toEqual([30 * (DAY / MINUTE)]);
});
