/** Human times for tables: "3 min ago", with the exact UTC time for tooltips. */
import { LAST_UNIX_TIME } from './limits.js';

/** Times a Date can show (up to 9999-12-31); anything else is not a time. */
export function isDisplayableTime(unix: number | null): unix is number {
  return unix !== null && Number.isFinite(unix) && Math.abs(unix) <= LAST_UNIX_TIME;
}

export function exactUtc(unix: number | null): string {
  if (unix === null) return 'unknown';
  if (!isDisplayableTime(unix)) return 'invalid time';
  return new Date(unix * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

const UNITS: Array<[number, string]> = [
  [365 * 86400, 'year'],
  [30 * 86400, 'month'],
  [7 * 86400, 'week'],
  [86400, 'day'],
  [3600, 'hour'],
  [60, 'min'],
];

export function relativeTime(unix: number | null, now: number): string {
  if (unix === null) return 'never';
  if (!isDisplayableTime(unix)) return 'invalid time';
  const delta = now - unix;
  const future = delta < 0;
  const seconds = Math.abs(delta);
  if (seconds < 60) return future ? 'in under a minute' : 'just now';
  for (const [size, unit] of UNITS) {
    if (seconds >= size) {
      const n = Math.floor(seconds / size);
      const label = unit === 'min' ? 'min' : n === 1 ? unit : `${unit}s`;
      return future ? `in ${n} ${label}` : `${n} ${label} ago`;
    }
  }
  return 'just now';
}

export function formatDuration(seconds: number | null): string {
  if (seconds === null) return 'unknown';
  if (seconds % 86400 === 0 || seconds >= 7 * 86400) {
    const days = Math.round(seconds / 86400);
    return `${days} day${days === 1 ? '' : 's'}`;
  }
  if (seconds >= 3600) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 60)} min`;
}
