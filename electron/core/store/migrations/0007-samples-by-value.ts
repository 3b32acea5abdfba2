/**
 * Migration 7: an index of each series' samples by value, so alerts.list learns in one seek whether
 * a series has any sample NOT crossing a threshold (queries/alerts.ts); without it a series that
 * crosses a rule throughout, 100,000 samples long, was read whole to find that it has none.
 *
 * Invariant: an index only; no row changes meaning.
 */
export const version = 7;

export const sql = /* sql */ `
CREATE INDEX samples_by_value ON samples (incident, source, metric, value);
`;
