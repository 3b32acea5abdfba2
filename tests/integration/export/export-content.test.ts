// @vitest-environment jsdom
/**
 * What a person opening an export sees: the HTML is inert (no script, no handler, no link or image
 * from user text) and shows every entry's text; the CSV parses back to one row per entry with the
 * text intact; a drill says DRILL in every format; a PDF export without a printer says so.
 */
import { testCore } from '../../support/cores';
import { expectCode } from '../../support/api-expect';
import { buildExportIncident, HOSTILE_TEXTS } from '../../support/export-incident';
import { CSV_COLUMNS } from '../../../shared/report/csv';

/** RFC 4180 records, for checking what a spreadsheet would read. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"';
      i += 1;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && c === ',') {
      record.push(cell);
      cell = '';
    } else if (!quoted && c === '\r' && text[i + 1] === '\n') {
      record.push(cell);
      records.push(record);
      record = [];
      cell = '';
      i += 1;
    } else {
      cell += c;
    }
  }
  return records;
}

describe('export content', () => {
  const { core, clock } = testCore({ name: 'Ana' });
  const incidentId = buildExportIncident(core, clock);
  const timeline = core.call('timeline.list', { incidentId, limit: 1000 }).entries;

  it('HTML is inert and shows user text as text', () => {
    const html = core.call('export.incident', { incidentId, format: 'html' }).content;
    const document = new DOMParser().parseFromString(html, 'text/html');
    expect(document.querySelectorAll('script, iframe, object, embed, link, a, img, form, base')).toHaveLength(0);
    for (const element of document.querySelectorAll('*')) {
      for (const attribute of element.getAttributeNames()) expect(attribute).not.toMatch(/^on/);
    }
    const text = document.body.textContent ?? '';
    for (const [name, value] of Object.entries(HOSTILE_TEXTS)) {
      if (name === 'plus' || name === 'minus') continue;
      expect(text).toContain(value.split('\n')[0]);
    }
    expect(text).not.toContain(HOSTILE_TEXTS.plus);
    expect(text).toContain('[redacted by Ana at 2026-11-29 14:12:00 UTC: personal phone number]');
    expect(document.querySelector('svg polyline.samples')?.getAttribute('points')?.split(' ')).toHaveLength(6);
    expect(document.querySelectorAll('svg line.threshold')).toHaveLength(3);
    expect(document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content')).toContain("default-src 'none'");
  });

  it('CSV has one row per timeline entry, UTC times, text intact or made safe', () => {
    const csv = core.call('export.incident', { incidentId, format: 'csv' }).content;
    const [header, ...rows] = parseCsv(csv);
    expect(header).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(timeline.length);
    const column = (name: (typeof CSV_COLUMNS)[number]) => CSV_COLUMNS.indexOf(name);
    for (const row of rows) {
      expect(row).toHaveLength(CSV_COLUMNS.length);
      expect(row[column('occurred_at_utc')]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    }
    const texts = rows.map((r) => r[column('text')]);
    expect(texts).toContain(HOSTILE_TEXTS.newlines);
    expect(texts).toContain(HOSTILE_TEXTS.unicode);
    expect(texts).toContain(`'${HOSTILE_TEXTS.formula}`);
    expect(texts).toContain(`'${HOSTILE_TEXTS.at}`);
    expect(texts.join('\n')).not.toContain(HOSTILE_TEXTS.plus);
    expect(rows.find((r) => r[column('text')] === HOSTILE_TEXTS.unicode)?.[column('starred')]).toBe('yes');
  });

  it('JSON is the replicated state under a versioned envelope', () => {
    const json = JSON.parse(core.call('export.incident', { incidentId, format: 'json' }).content) as {
      format: string;
      version: number;
      state: { incident: { id: string; postMortemFinal: boolean }; timeline: unknown[] };
    };
    expect(json.format).toBe('sitrep.incident');
    expect(json.version).toBe(1);
    expect(json.state.incident.id).toBe(incidentId);
    expect(json.state.incident.postMortemFinal).toBe(true);
    expect(json.state.timeline).toHaveLength(timeline.length);
  });

  it('names the file by date and title', () => {
    expect(core.call('export.incident', { incidentId, format: 'md' }).fileName).toBe('INC-2026-11-29-checkout-eu-outage-cafe-b-bold-b-x-http.md');
  });

  it('a PDF needs a printer: the core without one says so', async () => {
    await expect(core.invoke('export.incident', { incidentId, format: 'pdf' })).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringContaining('no PDF printer') });
    expectCode(() => core.call('export.incident', { incidentId, format: 'pdf' }), 'invalid-argument');
  });

  it('an unknown incident is not-found, naming it', () => {
    const error = expectCode(() => core.call('export.incident', { incidentId: '019ad000-0000-7000-8000-000000000000', format: 'md' }), 'not-found');
    expect(error.message).toContain('019ad000-0000-7000-8000-000000000000');
  });
});

describe('a drill', () => {
  const { core, clock } = testCore({ name: 'Ana' });
  const incidentId = buildExportIncident(core, clock, { drill: true });

  it.each(['md', 'html', 'csv', 'json'] as const)('is marked DRILL in %s', (format) => {
    const file = core.call('export.incident', { incidentId, format });
    expect(file.fileName).toMatch(/^DRILL-/);
    expect(file.content).toContain('DRILL');
    if (format === 'csv') for (const line of file.content.trim().split('\r\n').slice(1).filter((l) => /^\d{4}-/.test(l))) expect(line).toMatch(/,DRILL$/);
  });
});
