/**
 * Search answers the same whether an entry is still queued for the search index or indexed
 * (electron/core/store/search-backlog.ts): a queued row is scanned with LIKE, an indexed one read
 * from the trigram index, and a user must not be able to tell which. Inputs: entries and queries
 * over a small ASCII alphabet (so they often match) with LIKE's and FTS5's special characters
 * (% _ \\ "), some entries redacted. Outside ASCII, a queued row matches case-sensitively until
 * it is indexed (SQLite's LIKE folds ASCII only); that is the documented difference.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { indexSearchBacklog } from '../../electron/core/store/search-backlog';
import { testCore } from '../support/cores';

const seed = Number(process.env.SITREP_PROPERTY_SEED ?? 20261129);
const numRuns = Number(process.env.SITREP_PROPERTY_RUNS ?? 100);

const textArb = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'abAB -%_\\"1'), minLength: min, maxLength: max });

describe('timeline search with a search backlog', () => {
  const { core } = testCore({ name: 'Ana' });
  const db = core.context.db;
  afterAll(() => core.close());

  it('search_matches_the_same_entries_queued_or_indexed', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ text: textArb(0, 12), redact: fc.boolean() }), { minLength: 1, maxLength: 8 }),
        fc.array(textArb(1, 5), { minLength: 1, maxLength: 5 }),
        (entries, queries) => {
          const { incidentId } = core.call('incidents.declare', { title: 'Property', severity: 'P3' });
          for (const entry of entries) {
            const { id } = core.call('timeline.add', { incidentId, text: entry.text.trim() ? entry.text : '.' });
            if (entry.redact) core.call('timeline.redact', { incidentId, entryId: id, reason: 'property' });
          }
          const search = () => queries.map((text) => core.call('timeline.list', { incidentId, text, limit: 50 }).entries.map((e) => e.id));
          const queued = search();
          db.transaction(() => indexSearchBacklog(db, -1))();
          expect(search()).toEqual(queued);
        },
      ),
      { seed, numRuns },
    );
  });
});
