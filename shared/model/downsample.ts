/**
 * Rule (DESIGN.md §8): a chart draws at most about two points per time bucket, and those two are the
 * bucket's lowest and highest samples, so every spike, every dip and every threshold crossing
 * survives however many samples there are. The first and last points are kept too, so the line
 * spans the whole period. Points come out in their input order, a subsequence of the input.
 */

export interface TimePoint {
  t: number;
  value: number;
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
  const span = to - from;
  const bucketOf = (t: number): number => (span === 0 ? 0 : Math.min(bucketCount - 1, Math.floor(((t - from) / span) * bucketCount)));

  const NONE = -1;
  const minAt = new Int32Array(bucketCount).fill(NONE);
  const maxAt = new Int32Array(bucketCount).fill(NONE);
  points.forEach((p, i) => {
    const b = bucketOf(p.t);
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
