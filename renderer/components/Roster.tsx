import { createContext, useContext, useId, useMemo, useState, type FormEvent } from 'react';
import { canHold, type DirectoryEntry } from '../../shared/model/directory';
import type { PersonView, RoleView } from '../../shared/model/views';
import { roughDuration, utcClock, utcDateTime } from '../format/time';
import { useAction, useActionError, useApi, useCanWrite, useOpenIncident, useSync } from '../state/console-stores';
import { useDirectoryPeople } from '../state/use-directory-people';
import '../styles/roster.css';
import { ActionError } from './ActionError';
import { CLOCK_SKEW_LIMIT_MS } from './SyncStatus';

const TEAMS = [
  { team: 'primary', heading: 'Primary team' },
  { team: 'secondary', heading: 'Secondary team' },
] as const;

/** The holder select's value for "nobody holds this role". */
const UNASSIGNED = '';
/** The holder select's value that opens the inline form instead of assigning (person ids are UUIDs, so never this). */
const ADD_PERSON = 'add-person';
/** The prefix of a holder select value naming a team directory entry (added to the roster, then assigned). */
const FROM_DIRECTORY = 'directory:';


/** Who is online now and whose clock is more than a minute off the relay host's, by device id. */
interface Presence {
  online: ReadonlySet<string>;
  /** Device clock minus the relay host's. */
  clockOffsets: ReadonlyMap<string, number>;
}

const NOBODY: Presence = { online: new Set(), clockOffsets: new Map() };
const PresenceContext = createContext<Presence>(NOBODY);

/** From the sync status: the others heard from lately, and this device while it is live. */
function usePresence(incidentId: string | null): Presence {
  const status = useSync((s) => (s.incidentId === incidentId ? s.status : null));
  const me = useSync((s) => s.deviceId);
  return useMemo(() => {
    if (!status || status.relay === null) return NOBODY;
    const online = new Set(status.online.map((d) => d.deviceId));
    if (me && status.state === 'live') online.add(me);
    const clockOffsets = new Map(Object.entries(status.deviceClockOffsetsMs ?? {}));
    for (const device of status.skewedDevices) if (!clockOffsets.has(device)) clockOffsets.set(device, Number.NaN);
    if (me && status.clockOffsetMs !== null && Math.abs(status.clockOffsetMs) > CLOCK_SKEW_LIMIT_MS) clockOffsets.set(me, status.clockOffsetMs);
    return { online, clockOffsets };
  }, [status, me]);
}

/** "online" for a person with a device heard from lately; "clock off by N" for one more than a minute off. */
function PresenceMarks({ deviceIds }: { deviceIds: string[] }) {
  const { online, clockOffsets } = useContext(PresenceContext);
  const isOnline = deviceIds.some((d) => online.has(d));
  const skewedDevice = deviceIds.find((d) => clockOffsets.has(d));
  const offset = skewedDevice === undefined ? undefined : clockOffsets.get(skewedDevice);
  return (
    <>
      {isOnline && <span className="presence-mark">online</span>}
      {offset !== undefined && (
        <span className="clock-skew-mark" title={Number.isNaN(offset) ? undefined : `its clock is ${offset > 0 ? 'ahead of' : 'behind'} the relay host's`}>
          clock off by {Number.isNaN(offset) ? 'more than a minute' : roughDuration(offset)}
        </span>
      )}
    </>
  );
}

/**
 * Who holds which role of the pinned playbook, primary team first, and the people on the roster
 * (Legal on the phone holds a role without a device), with who is online and whose clock is off. Assigning takes two clicks: the role's select,
 * then a person; handing over command takes two: "Hand over command", then the new commander.
 */
export function Roster() {
  const incidentId = useOpenIncident((s) => s.incidentId);
  const roster = useOpenIncident((s) => s.roster);
  const canWrite = useCanWrite();
  const [addingPerson, setAddingPerson] = useState(false);
  const headingId = useId();
  const presence = usePresence(incidentId);
  const directory = useDirectoryPeople();

  if (!incidentId || !roster) return null;
  const people = roster.people.filter((p) => !p.removed);

  return (
    <PresenceContext.Provider value={presence}>
      <section className="panel roster" aria-labelledby={headingId}>
        <h2 id={headingId}>Roster</h2>
        {TEAMS.map(({ team, heading }) => {
          const roles = roster.roles.filter((r) => r.team === team);
          if (roles.length === 0) return null;
          return (
            <div key={team} className="roster-team">
              <h3 id={`${headingId}-${team}`}>{heading}</h3>
              <ul className="roster-roles" aria-labelledby={`${headingId}-${team}`}>
                {roles.map((role) => (
                  <RoleHolder key={role.roleId} role={role} people={people} directory={directory} incidentId={incidentId} canWrite={canWrite} />
                ))}
              </ul>
            </div>
          );
        })}
        <div className="roster-people">
          <h3 id={`${headingId}-people`}>People</h3>
          {people.length === 0 ? (
            <p className="muted">Nobody on the roster yet.</p>
          ) : (
            <ul aria-labelledby={`${headingId}-people`}>
              {people.map((person) => (
                <li key={person.id}>
                  <span className="person-name">{person.name}</span>
                  {person.contact && <span className="muted"> · {person.contact}</span>}
                  {person.deviceIds.length === 0 && <span className="muted"> · no device</span>}
                  <PresenceMarks deviceIds={person.deviceIds} />
                </li>
              ))}
            </ul>
          )}
          {canWrite &&
            (addingPerson ? (
              <AddPersonForm
                incidentId={incidentId}
                people={people}
                formLabel="Add a person to the roster"
                submitLabel="Add person"
                onDone={() => setAddingPerson(false)}
              />
            ) : (
              <button type="button" onClick={() => setAddingPerson(true)}>
                Add person…
              </button>
            ))}
        </div>
      </section>
    </PresenceContext.Provider>
  );
}

function RoleHolder({
  role,
  people,
  directory,
  incidentId,
  canWrite,
}: {
  role: RoleView;
  people: PersonView[];
  directory: DirectoryEntry[];
  incidentId: string;
  canWrite: boolean;
}) {
  const api = useApi();
  const act = useAction();
  const onRoster = new Set(people.map((p) => p.name.toLowerCase()));
  // Who the directory says can hold this role first, then everyone else in it not on the roster yet.
  const offered = directory
    .filter((e) => !onRoster.has(e.name.toLowerCase()))
    .sort((a, b) => Number(canHold(b, role)) - Number(canHold(a, role)));
  const assignFromDirectory = (entry: DirectoryEntry) =>
    act(async () => {
      const roster = await api.invoke('roster.addPerson', { incidentId, name: entry.name, contact: entry.phone || entry.email });
      const added = roster.people.find((p) => !p.removed && p.name === entry.name && !people.some((q) => q.id === p.id));
      if (added) await api.invoke('roster.assign', { incidentId, roleId: role.roleId, personId: added.id });
    });
  const [mode, setMode] = useState<'viewing' | 'adding-person' | 'handing-over'>('viewing');
  const titleId = useId();
  const assign = (personId: string | null) => act(() => api.invoke('roster.assign', { incidentId, roleId: role.roleId, personId }));
  const { holder } = role;

  return (
    <li className={`role${holder ? '' : ' role-unassigned'}`} aria-labelledby={titleId}>
      <div className="role-heading">
        <span id={titleId} className="role-title">
          {role.title}
        </span>
        {role.commander && <span className="role-commander-mark">commands</span>}
        <span className="muted role-holder-title">{role.holderTitle}</span>
      </div>
      <div className="role-holder">
        {holder ? (
          <>
            <strong className="holder-name">{holder.name}</strong>
            {holder.contact && <span className="muted"> · {holder.contact}</span>}
            <PresenceMarks deviceIds={holder.deviceIds} />
          </>
        ) : (
          <span className="unassigned-mark">Unassigned</span>
        )}
        {role.conflicted && <span className="concurrent-mark">changed concurrently</span>}
        {role.setBy && role.setAt !== null && (
          <span className="muted role-set-by">
            set by {role.setBy} ·{' '}
            <time dateTime={new Date(role.setAt).toISOString()} title={utcDateTime(role.setAt)}>
              {utcClock(role.setAt)}
            </time>
          </span>
        )}
      </div>
      {canWrite && (
        <div className="role-controls">
          <select
            aria-label={`Holder of ${role.title}`}
            value={holder?.id ?? UNASSIGNED}
            onChange={(e) => {
              const value = e.target.value;
              const entry = value.startsWith(FROM_DIRECTORY) ? directory.find((d) => d.id === value.slice(FROM_DIRECTORY.length)) : undefined;
              if (value === ADD_PERSON) setMode('adding-person');
              else if (entry) void assignFromDirectory(entry);
              else void assign(value === UNASSIGNED ? null : value);
            }}
          >
            <option value={UNASSIGNED}>Unassigned</option>
            {/* A removed person still shows while they hold the role, so the select says who does. */}
            {holder?.removed && <option value={holder.id}>{holder.name} (removed)</option>}
            {people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
            {offered.length > 0 && (
              <optgroup label="From the team directory">
                {offered.map((e) => (
                  <option key={e.id} value={`${FROM_DIRECTORY}${e.id}`}>
                    {e.name}
                    {canHold(e, role) ? ` (can hold ${role.title})` : ''}
                    {e.phone ? ` · ${e.phone}` : ''}
                  </option>
                ))}
              </optgroup>
            )}
            <option value={ADD_PERSON}>Add person…</option>
          </select>
          {holder && (
            <button type="button" aria-label={`Unassign ${role.title}`} onClick={() => void assign(null)}>
              Unassign
            </button>
          )}
          {role.commander && holder && (
            <button
              type="button"
              aria-expanded={mode === 'handing-over'}
              onClick={() => setMode(mode === 'handing-over' ? 'viewing' : 'handing-over')}
            >
              Hand over command
            </button>
          )}
        </div>
      )}
      {canWrite && mode === 'adding-person' && (
        <AddPersonForm
          incidentId={incidentId}
          people={people}
          formLabel={`Add a person as ${role.title}`}
          submitLabel="Add and assign"
          onAdded={(personId) => assign(personId)}
          onDone={() => setMode('viewing')}
        />
      )}
      {canWrite && mode === 'handing-over' && holder && (
        <CommandHandover incidentId={incidentId} commander={holder} people={people} onDone={() => setMode('viewing')} />
      )}
    </li>
  );
}

/** Name and contact are all a person needs: a device is optional (Legal on the phone). */
function AddPersonForm({
  incidentId,
  people,
  formLabel,
  submitLabel,
  onAdded,
  onDone,
}: {
  incidentId: string;
  people: PersonView[];
  formLabel: string;
  submitLabel: string;
  onAdded?: (personId: string) => Promise<unknown>;
  onDone: () => void;
}) {
  const api = useApi();
  const { run, error } = useActionError();
  const [name, setName] = useState('');
  const [contact, setContact] = useState('');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const known = new Set(people.map((p) => p.id));
    const roster = await run(() => api.invoke('roster.addPerson', { incidentId, name, contact }));
    if (!roster) return;
    const added = roster.people.find((p) => !known.has(p.id) && p.name === name.trim());
    if (added && onAdded) await onAdded(added.id);
    onDone();
  };

  return (
    <form className="add-person" aria-label={formLabel} onSubmit={(e) => void submit(e)}>
      <label>
        Name
        <input value={name} onChange={(e) => setName(e.target.value)} required autoFocus />
      </label>
      <label>
        Contact
        <input value={contact} onChange={(e) => setContact(e.target.value)} placeholder="phone or email" />
      </label>
      <div className="form-actions">
        <button type="submit" className="primary">
          {submitLabel}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
      <ActionError error={error} />
    </form>
  );
}

/** Choosing the new commander confirms at once: handover is urgent and is itself recorded on the timeline. */
function CommandHandover({ incidentId, commander, people, onDone }: { incidentId: string; commander: PersonView; people: PersonView[]; onDone: () => void }) {
  const api = useApi();
  const { run, error } = useActionError();
  const [note, setNote] = useState('');
  const candidates = people.filter((p) => p.id !== commander.id);

  const handOver = async (personId: string) => {
    const done = await run(() => api.invoke('roster.handOverCommand', { incidentId, personId, note: note.trim() || undefined }));
    if (done) onDone();
  };

  return (
    <div className="command-handover" role="group" aria-label="Hand over command">
      <label>
        Handover note (optional)
        <input value={note} onChange={(e) => setNote(e.target.value)} placeholder="what the new commander should know" />
      </label>
      {candidates.length === 0 ? (
        <p className="muted">Add a person to the roster first.</p>
      ) : (
        <ul className="handover-candidates">
          {candidates.map((p) => (
            <li key={p.id}>
              <button type="button" aria-label={`Hand over command to ${p.name}`} onClick={() => void handOver(p.id)}>
                {p.name}
              </button>
            </li>
          ))}
        </ul>
      )}
      <button type="button" onClick={onDone}>
        Cancel
      </button>
      <ActionError error={error} />
    </div>
  );
}
