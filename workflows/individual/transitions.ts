/** The individual's one transition rule the engine cannot know: before KYC, the status follows what was achieved. */
import type { IndividualFlow, OnboardingState } from './state';

/** After a customer action before KYC: note the progress and move to whatever is now pending. */
export async function advance(flow: IndividualFlow, state: OnboardingState, reason: string): Promise<void> {
  flow.progressed(state);
  if (state.isBeforeKyc()) await flow.moveTo(state, state.pendingStatus(), reason);
  await flow.publish(state, false); // a consent may change what is due without a status move
}
