import { exactUtc, isDisplayableTime, relativeTime } from '../../shared/time';

/** "3 min ago", with the exact UTC time on hover and for screen readers' details. */
export function RelativeTime({ unix, now }: { unix: number | null; now: number }) {
  if (unix === null) return <span className="muted">unknown</span>;
  if (!isDisplayableTime(unix)) return <span className="muted">invalid time</span>;
  return (
    <time dateTime={new Date(unix * 1000).toISOString()} title={exactUtc(unix)}>
      {relativeTime(unix, now)}
    </time>
  );
}
