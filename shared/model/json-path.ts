/**
 * Reading one value out of a JSON answer by a dotted path (`checks.database.status`, `items[0].ms`),
 * as `jq .checks.database.status` would. A missing step is reported by the path read so far, never
 * guessed.
 */
export type JsonPathResult = { found: true; value: unknown } | { found: false; missing: string };

const STEP = /([^.[\]]+)|\[(\d+)\]/g;

export function parseJsonPath(path: string): Array<string | number> {
  const steps: Array<string | number> = [];
  for (const match of path.trim().replace(/^\./, '').matchAll(STEP)) steps.push(match[2] !== undefined ? Number(match[2]) : match[1]);
  return steps;
}

export function readJsonPath(document: unknown, path: string): JsonPathResult {
  let current = document;
  let walked = '';
  for (const step of parseJsonPath(path)) {
    walked = typeof step === 'number' ? `${walked}[${step}]` : walked ? `${walked}.${step}` : step;
    if (typeof step === 'number') {
      if (!Array.isArray(current) || step >= current.length) return { found: false, missing: walked };
      current = current[step];
    } else {
      if (typeof current !== 'object' || current === null || Array.isArray(current) || !Object.hasOwn(current, step)) return { found: false, missing: walked };
      current = (current as Record<string, unknown>)[step];
    }
  }
  return { found: true, value: current };
}
