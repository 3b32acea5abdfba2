/** `sitrep export INCIDENT`: the id, or a prefix naming exactly one incident; anything else says why. */
import { resolveIncidentId } from '../../../electron/core/queries/incident-report';
import { expectCode } from '../../support/api-expect';
import { testCore } from '../../support/cores';

describe('resolveIncidentId', () => {
  const { core } = testCore({ name: 'Ana' });
  // Declared in the same millisecond: UUIDv7s sharing their first 13 characters.
  const first = core.call('incidents.declare', { title: 'Disk full', severity: 'P2' }).incidentId;
  const second = core.call('incidents.declare', { title: 'Queue stuck', severity: 'P3' }).incidentId;
  const db = core.context.db;

  it('takes the whole id, in either case, and a unique prefix', () => {
    expect(resolveIncidentId(db, first)).toBe(first);
    expect(resolveIncidentId(db, second.toUpperCase())).toBe(second);
    const unique = [...second].findIndex((c, i) => c !== first[i]) + 1;
    expect(resolveIncidentId(db, second.slice(0, unique))).toBe(second);
  });

  it('refuses a prefix matching several, listing them; an unknown one; and one too short', () => {
    const shared = first.slice(0, 13);
    const ambiguous = expectCode(() => resolveIncidentId(db, shared), 'invalid-argument');
    expect(ambiguous.message).toContain('matches 2 incidents');
    expect(ambiguous.message).toContain('"Disk full"');
    expect(ambiguous.message).toContain('"Queue stuck"');
    expect(expectCode(() => resolveIncidentId(db, 'ffff0000'), 'not-found').message).toContain('no incident ffff0000');
    expect(expectCode(() => resolveIncidentId(db, 'ab'), 'invalid-argument').message).toContain('at least 4');
  });
});
