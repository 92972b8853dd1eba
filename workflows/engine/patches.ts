/**
 * The onboarding workflows' patches, folded into one marker for every execution started from this code.
 *
 * Each `patched(id)` an execution meets live writes a marker, and the SDK upserts the TemporalChangeVersion search
 * attribute beside it: a new individual onboarding met six of them in its first workflow task and about a dozen
 * over its life, each one more history event and one more visibility write on the Temporal server (issue 12). Every
 * patch below is in the code an execution starts with today, so `applied(id)` asks first for the one
 * FOLDED_PATCHES marker: a new execution records that marker once and none of the others. An execution started
 * before the fold never recorded it, so while its history replays the question falls through to the patch's own
 * marker, exactly as before; once it runs live again, the answer is true either way.
 *
 * A patch added later calls `patched()` itself (executions holding this marker started without it); `applied`
 * refuses any id not listed here, so it cannot be folded by mistake.
 */
import { patched } from '@temporalio/workflow';

const FOLDED_PATCHES = 'onboarding-patches-2026-11';

const FOLDED = [
  'due-requirement-search-attribute',
  'requirement-webhook-events',
  'individual-full-lifecycle',
  'individual-continue-as-new',
  'individual-detached-first-code',
  'individual-kyc-status-attribute',
  'individual-kyc-child',
  'individual-kyc-poll-backoff',
  'individual-detached-notices',
  'contact-verification-proof',
  'repeats-are-not-progress',
  'bounded-code-requests',
] as const;

export type FoldedPatch = (typeof FOLDED)[number];

const folded: ReadonlySet<string> = new Set(FOLDED);

/** Whether this execution runs the code of `patchId` (one of the folded patches): `patched()`, one marker for all. */
export function applied(patchId: FoldedPatch): boolean {
  if (!folded.has(patchId)) throw new TypeError(`Patch ${patchId} is not folded: call patched() for it`);
  return patched(FOLDED_PATCHES) || patched(patchId);
}
