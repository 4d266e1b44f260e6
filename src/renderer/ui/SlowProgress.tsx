/**
 * What a slow read shows once it has taken a second: what it is doing, for how long,
 * and a Cancel button (Esc works where the caller wires it). Quick reads show nothing,
 * so the screen stays calm; a scan of a million users shows it is alive and stoppable.
 */
import { useEffect, useState } from 'react';

const SHOW_AFTER_MS = 1000;

export function SlowProgress({ active, what, onCancel }: { active: boolean; what: string; onCancel: () => void }) {
  const [elapsed, setElapsed] = useState(0);
  useEffect(() => {
    setElapsed(0);
    if (!active) return;
    const started = Date.now();
    const timer = setInterval(() => setElapsed(Date.now() - started), 250);
    return () => clearInterval(timer);
  }, [active]);

  if (!active || elapsed < SHOW_AFTER_MS) return null;
  return (
    <div className="slow-progress" role="status">
      <span className="spinner" aria-hidden="true" />
      <span>
        {what}… {Math.floor(elapsed / 1000)} s
      </span>
      <button type="button" className="button button-small" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
