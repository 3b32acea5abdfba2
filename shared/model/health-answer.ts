/**
 * Reading a health check's answer (`curl -s https://…/health | jq .checks.database.status`):
 *
 * - anything but HTTP 200 is down, with the status;
 * - no selector: up, and the reading is the response time in seconds;
 * - a selector naming a number: that number is the reading;
 * - a selector naming a verdict: "ok", "up", "healthy", "pass", "passing" or true is up (the
 *   reading is the response time); any other verdict is down, saying what it was.
 */
import { readJsonPath } from './json-path';

const HEALTHY_VERDICTS = new Set(['ok', 'up', 'healthy', 'pass', 'passing', 'true']);
const MS_PER_S = 1_000;

export type HealthReading = { ok: true; value: number } | { ok: false; reason: string };

export function readHealthAnswer(status: number, body: string, elapsedMs: number, selector: string): HealthReading {
  if (status !== 200) return { ok: false, reason: `answered HTTP ${status}` };
  const responseTime: HealthReading = { ok: true, value: elapsedMs / MS_PER_S };
  if (selector.trim() === '') return responseTime;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, reason: 'the answer is not JSON' };
  }
  const read = readJsonPath(json, selector);
  if (!read.found) return { ok: false, reason: `no ${read.missing} in the answer` };
  const { value } = read;
  if (typeof value === 'number') return Number.isFinite(value) ? { ok: true, value } : { ok: false, reason: `${selector} is not a number` };
  if ((typeof value === 'string' || typeof value === 'boolean') && HEALTHY_VERDICTS.has(String(value).toLowerCase())) return responseTime;
  return { ok: false, reason: `${selector.trim()} is ${JSON.stringify(value)}` };
}
