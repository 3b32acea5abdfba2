/**
 * The team directory through the api: local to the device across incidents and restarts, imported
 * from and exported to JSON or CSV, a bad row refused with its line number and nothing stored.
 */
import { createCore } from '../../../electron/core/core';
import { testCore } from '../../support/cores';
import { expectCode } from '../../support/api-expect';

const CSV = [
  'kind,name,roles,phone,email,link,notes',
  'person,Bea Lind,technical-lead;devops,+44 20 7946 0001,bea@example.org,,on call weeks 1 and 3',
  'person,Lee Counsel,legal,555-0199,,,"Legal, outside hours: ask the switchboard"',
  'vendor,Acme DNS,,+1 800 555 0100,support@acme.example,https://status.acme.example,"contract ""GOLD"""',
  'runbook,Database failover,,,,https://wiki.example.org/runbooks/db-failover,',
].join('\n');

describe('the team directory', () => {
  it('imports a CSV, lists people, vendors and runbooks, and exports the same back', () => {
    const { core } = testCore();
    const { imported, entries } = core.call('directory.import', { fileName: 'team.csv', text: CSV });
    expect(imported).toBe(4);
    expect(entries.map((e) => `${e.kind}: ${e.name}`)).toEqual(['person: Bea Lind', 'person: Lee Counsel', 'vendor: Acme DNS', 'runbook: Database failover']);
    expect(entries[0]).toMatchObject({ roles: ['technical-lead', 'devops'], phone: '+44 20 7946 0001', notes: 'on call weeks 1 and 3' });
    expect(entries[2].notes).toBe('contract "GOLD"');

    const csv = core.call('directory.export', { format: 'csv' });
    expect(csv).toMatchObject({ fileName: 'sitrep-directory.csv', mimeType: 'text/csv' });
    expect(csv.text).toContain(`person,Bea Lind,technical-lead;devops,'+44 20 7946 0001,bea@example.org,,on call weeks 1 and 3`);

    const other = testCore();
    other.core.call('directory.import', { fileName: 'back.csv', text: csv.text });
    const json = other.core.call('directory.export', { format: 'json' });
    const third = testCore();
    third.core.call('directory.import', { fileName: 'back.json', text: json.text });
    const strip = (list: typeof entries) => list.map(({ id: _id, ...rest }) => rest);
    expect(strip(third.core.call('directory.list', {}))).toEqual(strip(entries));
  });

  it('refuses a CSV with a bad row, naming its line and why, and stores nothing', () => {
    const { core } = testCore();
    core.call('directory.save', { kind: 'person', name: 'Ana Ops', phone: '555-0100' });
    const before = core.call('directory.list', {});
    const bad = `${CSV}\nperson,,,555-0000\nperson,Cy Park`;
    const error = expectCode(() => core.call('directory.import', { fileName: 'team.csv', text: bad }), 'invalid-argument', 'line 6: name: required');
    expect(error.message).toContain('team.csv was not imported, nothing was stored');
    expect(core.call('directory.list', {})).toEqual(before);
    expectCode(() => core.call('directory.import', { fileName: 'team.csv', text: 'kind,name,link\nrunbook,Failover,ftp://x\n' }), 'invalid-argument', 'line 2: link: must be an http(s) link');
    expectCode(() => core.call('directory.import', { fileName: 'team.csv', text: 'kind,name,pager\nperson,Bea,1\n' }), 'invalid-argument', /^line 1: unknown column "pager"/);
    expect(core.call('directory.list', {})).toEqual(before);
  });

  it('refuses a JSON entry by its line number', () => {
    const { core } = testCore();
    const text = JSON.stringify([{ kind: 'person', name: 'Bea' }, { kind: 'vendor', name: 'Acme', phone: 5 }], null, 2);
    expectCode(() => core.call('directory.import', { fileName: 'team.json', text }), 'invalid-argument', /^line 6 \(entry 2\): phone: /);
    expect(core.call('directory.list', {})).toEqual([]);
  });

  it('an import replaces an entry of the same kind and name, and the directory outlives restarts and incidents', () => {
    const { core, dataDir } = testCore();
    core.call('directory.import', { fileName: 'a.csv', text: 'kind,name,phone\nperson,Bea Lind,555-0001\n' });
    core.call('directory.import', { fileName: 'b.csv', text: 'kind,name,phone\nperson,bea lind,555-0002\n' });
    expect(core.call('directory.list', {})).toEqual([expect.objectContaining({ name: 'bea lind', phone: '555-0002' })]);
    core.call('incidents.declare', { title: 'Unrelated', severity: 'P3' });
    core.close();
    const reopened = createCore({ dataDir, sync: false });
    try {
      expect(reopened.call('directory.list', {})).toEqual([expect.objectContaining({ name: 'bea lind', phone: '555-0002' })]);
    } finally {
      reopened.close();
    }
  });
});
