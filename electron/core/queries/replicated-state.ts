/**
 * An incident's replicated state as one plain value: what every replica holding the same ops must
 * show identically (DESIGN.md §4). Local view marks (arrival, relay seq, clock skew) are not in it.
 * Convergence, reopen and rebuild tests compare it; the JSON export writes it.
 */
import type { IncidentState } from '../../../shared/model/incident';
import type { ChecklistPhaseView, RosterView, SampleView, TaskView, TimelineEntryView } from '../../../shared/model/views';
import type { Db } from '../store/database';
import { checklistView } from './checklist';
import { concurrentlyChangedFields, foldIncident } from '../../../shared/model/fold-incident';
import { FLAGGED_FIELDS, incidentFacts } from './incidents';
import { rosterView } from './roster';
import { listSamples } from './samples';
import { listTasks } from './tasks';
import { fullTimeline } from './timeline';

export interface ReplicatedIncident {
  incident: IncidentState;
  concurrentlyChanged: string[];
  roster: RosterView;
  checklist: ChecklistPhaseView[];
  tasks: TaskView[];
  timeline: TimelineEntryView[];
  samples: SampleView[];
}

export function replicatedIncident(db: Db, incidentId: string): ReplicatedIncident {
  const facts = incidentFacts(db, incidentId);
  const incident = foldIncident(facts);
  return {
    incident,
    concurrentlyChanged: concurrentlyChangedFields(facts, FLAGGED_FIELDS),
    roster: rosterView(db, incidentId),
    checklist: checklistView(db, incidentId, incident.phase),
    tasks: listTasks(db, incidentId),
    timeline: fullTimeline(db, incidentId),
    samples: listSamples(db, incidentId, {}),
  };
}
