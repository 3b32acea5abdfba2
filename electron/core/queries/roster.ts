/** Reading the roster: every role of the pinned playbook with its holder (or none), and the people. */
import type { PersonView, RosterView } from '../../../shared/model/views';
import { roleKey } from '../../../shared/playbook/schema';
import { prepared, type Db } from '../store/database';
import { declarationOf } from './incidents';

interface PersonRow {
  id: string;
  name: string;
  contact: string;
  device_ids: string;
  removed: number;
}

const toPerson = (r: PersonRow): PersonView => ({
  id: r.id,
  name: r.name,
  contact: r.contact,
  deviceIds: JSON.parse(r.device_ids) as string[],
  removed: r.removed === 1,
});

export function listPeople(db: Db, incident: string): PersonView[] {
  return (prepared(db, 'SELECT id, name, contact, device_ids, removed FROM people WHERE incident = ? ORDER BY name, id').all(incident) as PersonRow[]).map(toPerson);
}

export function rosterView(db: Db, incident: string): RosterView {
  const playbook = declarationOf(db, incident).playbook;
  const people = listPeople(db, incident);
  const byId = new Map(people.map((p) => [p.id, p]));
  const assignments = new Map(
    (prepared(db, 'SELECT role_key, holder, conflicted, set_by, set_at FROM roster WHERE incident = ?').all(incident) as {
      role_key: string;
      holder: string | null;
      conflicted: number;
      set_by: string;
      set_at: number;
    }[]).map((r) => [r.role_key, r]),
  );
  return {
    people,
    roles: playbook.roles.map((role) => {
      const key = roleKey(role.id);
      const a = assignments.get(key);
      return {
        roleId: role.id,
        roleKey: key,
        title: role.title,
        holderTitle: role.holderTitle,
        team: role.team,
        commander: role.commander,
        holder: a?.holder ? (byId.get(a.holder) ?? null) : null,
        conflicted: a?.conflicted === 1,
        setBy: a?.set_by ?? null,
        setAt: a?.set_at ?? null,
      };
    }),
  };
}
