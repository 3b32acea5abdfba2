/** Reading the phase checklists: every item of the pinned playbook with its progress (open when untouched). */
import type { ChecklistPhaseView } from '../../../shared/model/views';
import { prepared, type Db } from '../store/database';
import { declarationOf } from './incidents';
import { listPeople } from './roster';

export const checklistItemKey = (phase: string, item: string): string => `${phase}/${item}`;

export function checklistView(db: Db, incident: string, currentPhase: string): ChecklistPhaseView[] {
  const playbook = declarationOf(db, incident).playbook;
  const people = new Map(listPeople(db, incident).map((p) => [p.id, p]));
  const progress = new Map(
    (prepared(db, 'SELECT item, status, assignee, note, status_by, status_at, conflicted FROM checklist WHERE incident = ?').all(incident) as {
      item: string;
      status: 'open' | 'done';
      assignee: string | null;
      note: string;
      status_by: string | null;
      status_at: number | null;
      conflicted: number;
    }[]).map((r) => [r.item, r]),
  );
  return playbook.phases.map((phase) => ({
    phase: phase.id,
    title: phase.title,
    current: phase.id === currentPhase,
    items: phase.checklist.map((item) => {
      const id = checklistItemKey(phase.id, item.id);
      const p = progress.get(id);
      return {
        id,
        phase: phase.id,
        section: item.section,
        title: item.title,
        description: item.description,
        status: p?.status ?? 'open',
        assignee: p?.assignee ? (people.get(p.assignee) ?? null) : null,
        note: p?.note ?? '',
        statusBy: p?.status === 'done' ? p.status_by : null,
        statusAt: p?.status === 'done' ? p.status_at : null,
        conflicted: p?.conflicted === 1,
      };
    }),
  }));
}
