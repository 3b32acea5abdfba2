/**
 * The replicated state of one incident, as every replica folds it from the same op set.
 * Times are UTC milliseconds. Nothing here depends on the receiving device (arrival time, relay
 * seq, clock skew): that is local view state and lives apart.
 */
import type { Milestone, Playbook, Severity } from '../playbook/schema';

export const INCIDENT_STATUSES = ['active', 'mitigated', 'resolved', 'closed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export interface Impact {
  users: string;
  data: string;
  business: string;
  compliance: string;
}

export interface Breach {
  flagged: boolean;
  /** When the organisation became aware of the breach: the 72-hour regulatory clock starts here. */
  awareAt: number | null;
}

/** Where a milestone's time comes from: the default rule of DESIGN.md §4, or a person's edit. */
export interface MilestoneValue {
  at: number;
  source: 'default' | 'edited';
  reason?: string;
}

export type Milestones = Partial<Record<Milestone, MilestoneValue>>;

export interface PhaseVisit {
  phase: string;
  /** Wall-clock time the phase was entered (the author's device clock). */
  at: number;
}

export interface SeverityChange {
  severity: Severity;
  at: number;
}

export interface IncidentState {
  id: string;
  title: string;
  severity: Severity;
  category: string;
  status: IncidentStatus;
  /** Id of the current phase of the pinned playbook. */
  phase: string;
  /** Affected systems; a value equal to a recovery objective's id takes that objective's RTO/RPO. */
  affectedSystems: string[];
  summary: string;
  rootCause: string;
  impact: Impact;
  breach: Breach;
  drill: boolean;
  milestones: Milestones;
  /** Every phase entered, oldest first; re-entering a phase appears again. */
  phaseHistory: PhaseVisit[];
  severityHistory: SeverityChange[];
  /** Times communications were marked sent, oldest first. */
  communicationsSentAt: number[];
  postMortemFinal: boolean;
  playbook: Playbook;
  declaredAt: number;
  declaredByDevice: string;
}
