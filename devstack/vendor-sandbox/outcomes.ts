/**
 * The magic-word engine both sandboxes decide by, so every path of the product can be driven on purpose from the
 * request alone. Each sandbox says where it looks for the words (the KYC one: the whole last name; the KYB one:
 * anywhere in the business name) and which reasons it gives; the words and what they do are the same.
 */

export type SandboxStatus = 'PENDING' | 'APPROVED' | 'REJECTED' | 'REVIEW';

export const MAGIC_WORDS = ['Reject', 'Review', 'Slow', 'Flaky', 'Silent'] as const;
export type MagicWord = (typeof MAGIC_WORDS)[number];

export interface Outcome {
  /** null: never decided (Silent). */
  decision: Exclude<SandboxStatus, 'PENDING'> | null;
  reason?: string;
  callback: 'prompt' | 'slow' | 'never';
  flaky: boolean;
}

/**
 * The decision comes from Reject, Review or Silent (the first found, in that order), else APPROVED; Slow holds
 * the callback back for slowDelayMs and Flaky makes the first submissions answer 503.
 */
export function outcomeByMagicWords(has: (word: MagicWord) => boolean, reasons: { Reject: string; Review: string }): Outcome {
  const flaky = has('Flaky');
  const callback = has('Slow') ? 'slow' : 'prompt';
  if (has('Reject')) return { decision: 'REJECTED', reason: reasons.Reject, callback, flaky };
  if (has('Review')) return { decision: 'REVIEW', reason: reasons.Review, callback, flaky };
  if (has('Silent')) return { decision: null, callback: 'never', flaky };
  return { decision: 'APPROVED', callback, flaky };
}
