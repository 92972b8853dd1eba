import { FREE_FAILURES, lockSeconds } from '../../api/customer-auth/lockout';

describe('customer login back-off', () => {
  it('locks nothing before the free failures are used, then 30 s doubling per failure, capped at an hour', () => {
    expect(Array.from({ length: FREE_FAILURES }, (_, i) => lockSeconds(i))).toEqual([0, 0, 0, 0, 0]);
    expect([5, 6, 7, 8].map(lockSeconds)).toEqual([30, 60, 120, 240]);
    expect(lockSeconds(12)).toBe(3600);
    expect(lockSeconds(100)).toBe(3600);
  });
});
