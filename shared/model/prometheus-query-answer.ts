/**
 * The answer of a Prometheus HTTP API instant query (`GET /api/v1/query?query=…`):
 *
 *   {"status":"success","data":{"resultType":"vector","result":[{"metric":{…},"value":[1700000000.1,"0.06"]}]}}
 *   {"status":"error","errorType":"bad_data","error":"1:5: parse error: …"}
 *
 * A reading is one number: a scalar, or a vector of exactly one series. An error status, no series,
 * several series, a non-number (`NaN`, `±Inf`) or any other shape is a failed poll with its reason.
 */
import { z } from 'zod';

const sampleValue = z.tuple([z.number(), z.string()]);
const answerSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('success'),
    data: z.discriminatedUnion('resultType', [
      z.object({ resultType: z.literal('vector'), result: z.array(z.object({ metric: z.record(z.string(), z.string()), value: sampleValue })) }),
      z.object({ resultType: z.literal('scalar'), result: sampleValue }),
      z.object({ resultType: z.literal('matrix'), result: z.array(z.unknown()) }),
      z.object({ resultType: z.literal('string'), result: z.unknown() }),
    ]),
  }),
  z.object({ status: z.literal('error'), errorType: z.string().optional(), error: z.string().optional() }),
]);

export type QueryReading = { ok: true; value: number } | { ok: false; reason: string };

const reading = (text: string): QueryReading => {
  const value = Number(text);
  return Number.isFinite(value) ? { ok: true, value } : { ok: false, reason: `the query answered ${text}, not a reading` };
};

export function readQueryAnswer(body: string): QueryReading {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, reason: 'the answer is not JSON' };
  }
  const parsed = answerSchema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: 'the answer is not a Prometheus query answer' };
  const answer = parsed.data;
  if (answer.status === 'error') return { ok: false, reason: `Prometheus error${answer.errorType ? ` (${answer.errorType})` : ''}: ${answer.error ?? 'no detail'}` };
  const { data } = answer;
  switch (data.resultType) {
    case 'scalar':
      return reading(data.result[1]);
    case 'vector':
      if (data.result.length === 0) return { ok: false, reason: 'the query returned no series' };
      if (data.result.length > 1) return { ok: false, reason: `the query returned ${data.result.length} series: aggregate them (sum, max) to one` };
      return reading(data.result[0].value[1]);
    default:
      return { ok: false, reason: `the query returned a ${data.resultType}, not one number` };
  }
}
