/** The documented error bodies, as tests expect them. */
import type { HttpResult } from './tenant-client';

/** A 409 INVALID_STATE naming the onboarding's status and what is due. */
export function expectInvalidState(res: HttpResult, status: string) {
  expect(res.status).toBe(409);
  expect(res.body).toEqual({
    error: 'INVALID_STATE',
    message: expect.any(String),
    details: [
      { field: 'status', message: status },
      { field: 'due', message: expect.any(String) },
    ],
  });
}

/** A 400 VALIDATION_ERROR with exactly one issue, on `field`. */
export function expectValidationError(res: HttpResult, field: string, message: string | RegExp = /.+/) {
  expect(res.status).toBe(400);
  expect(res.body).toEqual({
    error: 'VALIDATION_ERROR',
    message: expect.any(String),
    details: [{ field, message: typeof message === 'string' ? message : expect.stringMatching(message) }],
  });
}
