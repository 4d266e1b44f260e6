import { useEffect, useState } from 'react';
import { useConsole } from './console-store';

/** The current unix time, updated every 30 s so "3 min ago" stays true. */
export function useNow(): number {
  const [now, setNow] = useState(() => Math.floor(Date.now() / 1000));
  useEffect(() => {
    const timer = setInterval(() => setNow(Math.floor(Date.now() / 1000)), 30_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/** The time activity is judged against: the snapshot's "as of" time, else now. */
export function useReferenceTime(): number {
  const asOf = useConsole((s) => s.connection?.asOf ?? null);
  const now = useNow();
  return asOf ?? now;
}
