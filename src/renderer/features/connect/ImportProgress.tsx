/**
 * While a connection opens a dump, its import's progress: a bar, bytes of the total,
 * rows kept, and Cancel. Asked of the main process four times a second; nothing shows
 * for a SQLite file or a server (they have no import) or for a snapshot opened again.
 */
import { useEffect, useState } from 'react';
import type { ImportProgress as Progress } from '../../../shared/ipc/contract';
import { useConsole } from '../../app/console-store';
import { bridge } from '../../lib/bridge';

function size(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(0)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

export function ImportProgress() {
  const busy = useConsole((s) => s.busy);
  const cancel = useConsole((s) => s.cancelQueries);
  const [progress, setProgress] = useState<Progress | null>(null);
  const active = busy === 'connecting' || busy === 'testing';

  useEffect(() => {
    setProgress(null);
    if (!active) return;
    let stopped = false;
    const timer = setInterval(() => {
      void bridge()
        .importProgress()
        .then((result) => {
          if (!stopped && result.ok) setProgress(result.value);
        });
    }, 250);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [active]);

  if (!active || !progress) return null;
  const percent = progress.totalBytes > 0 ? Math.min(100, Math.floor((progress.fileBytes / progress.totalBytes) * 100)) : 0;
  return (
    <div className="card import-progress" role="status" aria-live="polite">
      <div className="row">
        <strong>Importing the dump…</strong>
        <span className="spacer" />
        <button type="button" className="button button-small" onClick={() => void cancel()}>
          Cancel
        </button>
      </div>
      <progress max={100} value={percent} aria-label="Import progress">
        {percent}%
      </progress>
      <p className="muted">
        {percent}% · {size(progress.fileBytes)} of {size(progress.totalBytes)} read · {progress.rows.toLocaleString('en-US')} rows kept. Only the tables an
        audit reads are kept; opening this dump again will be immediate.
      </p>
    </div>
  );
}
