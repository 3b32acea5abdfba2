/**
 * Golden files for the text exports of one fixed incident (tests/support/export-incident.ts). Ids
 * are normalised, everything else is compared byte for byte. `UPDATE_GOLDEN=1` rewrites them after
 * a deliberate change; review the diff before committing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { testCore } from '../../support/cores';
import { buildExportIncident, normaliseIds } from '../../support/export-incident';

const GOLDEN_DIR = path.join(__dirname, 'fixtures', 'golden');
const FORMATS = ['md', 'html', 'csv', 'json'] as const;

describe('exports of a fixed incident match their golden files', () => {
  const { core, clock } = testCore({ name: 'Ana' });
  const incidentId = buildExportIncident(core, clock);

  it.each(FORMATS)('%s', (format) => {
    const file = core.call('export.incident', { incidentId, format });
    expect(file.encoding).toBe('utf-8');
    const actual = normaliseIds(file.content);
    const golden = path.join(GOLDEN_DIR, `incident.${format}`);
    if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(golden, actual);
    expect(actual).toBe(fs.readFileSync(golden, 'utf8'));
  });
});
