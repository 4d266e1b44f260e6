import { exactUtc, isDisplayableTime, relativeTime } from '../../shared/time';

/** "3 min ago", with the exact UTC time on hover and for screen readers' details. */
/** `none`: what a missing time means here ("never" for Drupal's 0 access or login times). */
export function RelativeTime({ unix, now, none = 'unknown' }: { unix: number | null; now: number; none?: string }) {
  if (unix === null) return <span className="muted">{none}</span>;
  if (!isDisplayableTime(unix)) return <span className="muted">invalid time</span>;
  return (
    <time dateTime={new Date(unix * 1000).toISOString()} title={exactUtc(unix)}>
      {relativeTime(unix, now)}
    </time>
  );
}
