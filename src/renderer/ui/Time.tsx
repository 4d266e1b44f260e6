import { isDisplayableTime, relativeTime } from '../../shared/time';
import { useExactTime } from '../app/time-zone';

/** "3 min ago", with the exact UTC time on hover and for screen readers' details. */
/** `none`: what a missing time means here ("never" for Drupal's 0 access or login times). */
export function RelativeTime({ unix, now, none = 'unknown' }: { unix: number | null; now: number; none?: string }) {
  const exact = useExactTime();
  if (unix === null) return <span className="muted">{none}</span>;
  if (!isDisplayableTime(unix)) return <span className="muted">invalid time</span>;
  return (
    <time dateTime={new Date(unix * 1000).toISOString()} title={exact(unix)}>
      {relativeTime(unix, now)}
    </time>
  );
}
