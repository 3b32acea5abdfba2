/** Importing metric samples from CSV: every row stored, or none (the bad line named). */
import type { ApiParsedArgs } from '../../../shared/api';
import { SitrepError } from '../../../shared/errors';
import { CSV_SOURCE } from '../../../shared/model/metric-source';
import { parseSampleCsv } from '../../../shared/model/csv-samples';
import type { CsvImportResult } from '../../../shared/model/views';
import type { CoreContext } from '../core-context';
import { declarationOf } from '../queries/incidents';
import { sourceConfigs } from '../queries/sources';
import { invalid } from './invalid';

/** Samples per op: about 100 kB of payload, well under an op's size limit (MAX_OP_BYTES). */
const SAMPLES_PER_OP = 2_000;

export function importCsvSamples(ctx: CoreContext, args: ApiParsedArgs<'samples.importCsv'>): CsvImportResult {
  const metrics = declarationOf(ctx.db, args.incidentId).playbook.metrics.map((m) => m.id);
  if (args.sourceId) {
    const source = sourceConfigs(ctx.db, args.incidentId).find((s) => s.id === args.sourceId);
    if (!source) throw new SitrepError('not-found', `sourceId: no metric source ${args.sourceId} in incident ${args.incidentId}`);
    if (source.config.kind !== 'csv') throw invalid('sourceId', `"${source.config.name}" is a ${source.config.kind} source, not a CSV one`);
  }
  const parsed = parseSampleCsv(args.text, metrics);
  if (!parsed.ok) throw invalid(`text line ${parsed.line}`, parsed.reason);
  const source = args.sourceId ?? CSV_SOURCE;
  // One transaction (core.ts): a failure part-way stores none of the batches.
  for (let i = 0; i < parsed.samples.length; i += SAMPLES_PER_OP) {
    ctx.writeOp(args.incidentId, { kind: 'samples.add', source, samples: parsed.samples.slice(i, i + SAMPLES_PER_OP) });
  }
  return { imported: parsed.samples.length, source };
}
