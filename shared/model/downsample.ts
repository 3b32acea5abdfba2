/**
 * Rule (DESIGN.md §8): a chart draws at most about two points per time bucket, and those two are the
 * bucket's lowest and highest samples, so every spike, every dip and every threshold crossing
 * survives however many samples there are. The first and last points are kept too, so the line
 * spans the whole period. Points come out in their input order, a subsequence of the input.
 *
 * The buckets are those of `bucketStarts`, so the core's SQL (queries/metric-series.ts) and this
 * function cut a series at exactly the same instants and keep exactly the same points.
 */

export interface TimePoint {
  t: number;
  value: number;
}

/**
 * Where each of `buckets` equal slices of [from, to] begins (whole milliseconds): bucket b holds the
 * times t with starts[b] <= t < starts[b + 1], the last one up to and including `to`. Non-decreasing;
 * a slice narrower than a millisecond may be empty.
 */
export function bucketStarts(from: number, to: number, buckets: number): number[] {
  const count = Math.max(1, Math.floor(buckets));
  const span = to - from;
  return Array.from({ length: count }, (_, b) => from + Math.ceil((b * span) / count));
}

/** The bucket of `t` (from <= t <= to) among `starts`: a first guess by proportion, then stepped to the exact slice. */
function bucketIndex(starts: readonly number[], from: number, span: number, t: number): number {
  const last = starts.length - 1;
  let b = span === 0 ? last : Math.min(last, Math.max(0, Math.floor(((t - from) / span) * starts.length)));
  while (b < last && t >= starts[b + 1]) b++;
  while (b > 0 && t < starts[b]) b--;
  return b;
}

/**
 * Keeps each bucket's min and max (earliest on ties) plus the first and last point: at most
 * 2 × buckets + 2 points. Input at or under that size comes back whole.
 */
export function downsampleMinMax<P extends TimePoint>(points: readonly P[], buckets: number): P[] {
  const bucketCount = Math.max(1, Math.floor(buckets));
  if (points.length <= 2 * bucketCount + 2) return points.slice();

  let from = Infinity;
  let to = -Infinity;
  for (const p of points) {
    if (p.t < from) from = p.t;
    if (p.t > to) to = p.t;
  }
  const starts = bucketStarts(from, to, bucketCount);

  const NONE = -1;
  const minAt = new Int32Array(bucketCount).fill(NONE);
  const maxAt = new Int32Array(bucketCount).fill(NONE);
  points.forEach((p, i) => {
    const b = bucketIndex(starts, from, to - from, p.t);
    if (minAt[b] === NONE || p.value < points[minAt[b]].value) minAt[b] = i;
    if (maxAt[b] === NONE || p.value > points[maxAt[b]].value) maxAt[b] = i;
  });

  const kept = new Set<number>([0, points.length - 1]);
  for (let b = 0; b < bucketCount; b++) {
    if (minAt[b] !== NONE) kept.add(minAt[b]);
    if (maxAt[b] !== NONE) kept.add(maxAt[b]);
  }
  return [...kept].sort((a, b) => a - b).map((i) => points[i]);
}
