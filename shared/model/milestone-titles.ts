/** What each milestone is called on screen and in reports; the sentence form is its lower case. */
import type { Milestone } from '../playbook/schema';

export const MILESTONE_TITLES: Readonly<Record<Milestone, string>> = {
  impactStarted: 'Impact started',
  detected: 'Detected',
  acknowledged: 'Acknowledged',
  teamNotified: 'Team notified',
  firstCommunicationSent: 'First communication sent',
  rootCauseIdentified: 'Root cause identified',
  mitigated: 'Mitigated',
  resolved: 'Resolved',
  postMortemDone: 'Post-mortem done',
};

/** "post-mortem done": a milestone's title inside a sentence, or undefined for a name that is none. */
export const milestoneInSentence = (name: string): string | undefined =>
  Object.hasOwn(MILESTONE_TITLES, name) ? MILESTONE_TITLES[name as Milestone].toLowerCase() : undefined;
