import type { Logger } from '../../common/logger';
import { loggedWake } from '../../api/webhooks/routes';

describe('the API side of a webhook wake', () => {
  it('logs a failed wake (ids only) instead of failing the change that committed before it', async () => {
    const warnings: unknown[][] = [];
    const logger = { warn: (...args: unknown[]) => warnings.push(args) } as unknown as Logger;
    const wake = loggedWake(async () => {
      throw new Error('14 UNAVAILABLE: connection refused');
    }, logger);
    await expect(wake('tnt_1', ['whsub_1'])).resolves.toBeUndefined();
    expect(warnings).toEqual([
      [{ err: expect.objectContaining({ message: '14 UNAVAILABLE: connection refused' }), tenantId: 'tnt_1', subscriptionIds: ['whsub_1'] }, 'webhook wake failed; the deliveries wait for the next wake'],
    ]);
  });

  it('passes a successful wake through', async () => {
    const woken: unknown[] = [];
    const wake = loggedWake(async (tenantId, ids) => void woken.push([tenantId, ids]), {} as Logger);
    await wake('tnt_1', ['whsub_1', 'whsub_2']);
    expect(woken).toEqual([['tnt_1', ['whsub_1', 'whsub_2']]]);
  });
});
