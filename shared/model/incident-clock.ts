/**
 * Rule: the incident's age runs from detected (else declared) to now, and stops at resolved once
 * that is set. Every clock in the console is shown with `formatDuration`: days and hours from one
 * day up, hours and minutes from one hour up, minutes and seconds below; a leading "-" means overdue.
 */
import type { IncidentState } from './incident';
import { detectedAt, milestoneAt, MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, MS_PER_SECOND } from './milestone-times';

/** How long the incident has been running (or ran, once resolved), never below zero. */
export function incidentAge(incident: IncidentState, now: number): number {
  const stoppedAt = milestoneAt(incident, 'resolved') ?? now;
  return Math.max(0, stoppedAt - detectedAt(incident));
}

const twoDigits = (n: number): string => String(n).padStart(2, '0');

/**
 * A duration as a person reads it on a clock: `3d 4h`, `1h 02m`, `4m 05s`, `-3m 10s` (overdue).
 * Truncates to the unit shown, so a clock never claims more time than has passed.
 */
export function formatDuration(ms: number): string {
  const totalSeconds = Math.floor(Math.abs(ms) / MS_PER_SECOND);
  const sign = ms < 0 && totalSeconds > 0 ? '-' : '';
  const abs = totalSeconds * MS_PER_SECOND;
  const days = Math.floor(abs / MS_PER_DAY);
  const hours = Math.floor((abs % MS_PER_DAY) / MS_PER_HOUR);
  const minutes = Math.floor((abs % MS_PER_HOUR) / MS_PER_MINUTE);
  const seconds = Math.floor((abs % MS_PER_MINUTE) / MS_PER_SECOND);
  if (days > 0) return `${sign}${days}d ${hours}h`;
  if (hours > 0) return `${sign}${hours}h ${twoDigits(minutes)}m`;
  return `${sign}${minutes}m ${twoDigits(seconds)}s`;
}

/** A UTC moment to the minute (seconds dropped): `2026-11-29 13:02 UTC`. */
export function formatUtcMinute(at: number): string {
  const d = new Date(at);
  const date = `${d.getUTCFullYear()}-${twoDigits(d.getUTCMonth() + 1)}-${twoDigits(d.getUTCDate())}`;
  return `${date} ${twoDigits(d.getUTCHours())}:${twoDigits(d.getUTCMinutes())} UTC`;
}
