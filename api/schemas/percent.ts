import { z } from '../http/openapi';

/**
 * A share in percent: more than 0, at most 100, with at most two decimals. Ownership is summed and compared in
 * hundredths of a percent (common/ownership.ts), so a finer value could not be honoured.
 */
export const sharePercent = z
  .number()
  .gt(0, 'Must be more than 0')
  .max(100, 'Must be at most 100')
  .refine((value) => Math.abs(value * 100 - Math.round(value * 100)) < 1e-6, 'Must have at most two decimals')
  .openapi({ example: 25 });
