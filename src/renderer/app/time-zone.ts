/**
 * Exact times in UTC (the default: what Drupal stores, what the CLI prints) or in this
 * computer's time zone, as the operator chooses; the choice is remembered per operator
 * on this computer. Relative times ("3 min ago") are the same either way.
 */
import { exactUtc, isDisplayableTime } from '../../shared/time';
import { useConsole } from './console-store';

export type TimeZoneChoice = 'utc' | 'local';

const key = (operator: string) => `session-inspector:time-zone:${operator}`;

export function rememberedTimeZone(operator: string): TimeZoneChoice {
  try {
    return localStorage.getItem(key(operator)) === 'local' ? 'local' : 'utc';
  } catch {
    return 'utc';
  }
}

export function rememberTimeZone(operator: string, zone: TimeZoneChoice): void {
  try {
    localStorage.setItem(key(operator), zone);
  } catch {
    // Storage refused (private mode): the choice lasts for this window only.
  }
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** "2026-11-28 14:03:11 GMT+1": the local clock, its zone named. */
export function exactLocal(unix: number): string {
  if (!isDisplayableTime(unix)) return exactUtc(unix);
  const d = new Date(unix * 1000);
  const zone = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(d).find((p) => p.type === 'timeZoneName')?.value ?? 'local';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ${zone}`;
}

export function exactTime(unix: number | null, zone: TimeZoneChoice): string {
  if (unix === null) return exactUtc(unix);
  return zone === 'local' ? exactLocal(unix) : exactUtc(unix);
}

/** The exact-time formatter for the operator's choice. */
export function useExactTime(): (unix: number | null) => string {
  const zone = useConsole((s) => s.timeZone);
  return (unix) => exactTime(unix, zone);
}
