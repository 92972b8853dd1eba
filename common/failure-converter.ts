/**
 * Failures carry messages and stack traces that can quote data (a driver error, a provider's answer). With
 * `encodeCommonAttributes` they travel as an encoded payload, so the payload codec encrypts them like any other
 * payload and a history shows only "Encoded failure". Loaded by path: the workflow sandbox needs it too.
 */
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
