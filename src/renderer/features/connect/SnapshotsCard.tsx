/**
 * The snapshots kept of dumps opened before (in the data folder): which dump, made when,
 * how big, with Delete, and "Remove out of date" for those whose dump is gone or has
 * changed. Shown only when there are some.
 */
import { useCallback, useEffect, useState } from 'react';
import type { SnapshotSummary } from '../../../shared/ipc/contract';
import { exactUtc } from '../../../shared/time';
import { useConsole } from '../../app/console-store';
import { bridge } from '../../lib/bridge';

function size(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(0)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

function made(snapshot: SnapshotSummary): string {
  if (snapshot.madeAtFrom === 'file') return `${exactUtc(snapshot.madeAt)} (file time)`;
  return snapshot.zoneKnown ? exactUtc(snapshot.madeAt) : `${exactUtc(snapshot.madeAt).replace(/ UTC$/, '')} (zone unknown)`;
}

export function SnapshotsCard() {
  const busy = useConsole((s) => s.busy);
  const [snapshots, setSnapshots] = useState<SnapshotSummary[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const reload = useCallback(async () => {
    const result = await bridge().listSnapshots();
    if (result.ok) setSnapshots(result.value);
  }, []);
  // Again after each connection attempt: an import may have added one.
  useEffect(() => {
    if (busy === null) void reload();
  }, [busy, reload]);

  if (snapshots.length === 0) return null;
  return (
    <section className="card snapshots-card" aria-labelledby="snapshots-title">
      <div className="section-head">
        <div>
          <h3 id="snapshots-title">Dump snapshots</h3>
          <p className="muted small">Dumps opened before, kept so that they open at once. They hold session data: remove those you no longer need.</p>
        </div>
        <button
          type="button"
          className="button button-small"
          onClick={async () => {
            const result = await bridge().pruneSnapshots();
            setMessage(result.ok ? (result.value.deleted === 0 ? 'None is out of date.' : `Removed ${result.value.deleted} out of date.`) : result.error.message);
            await reload();
          }}
        >
          Remove out of date
        </button>
      </div>
      {message && <p className="muted small" role="status">{message}</p>}
      <ul className="snapshot-list">
        {snapshots.map((s) => (
          <li key={s.id}>
            <div className="snapshot-where mono" title={s.source}>
              {s.source}
            </div>
            <div className="muted small">
              {s.dialect === 'mysql' ? 'MySQL' : 'PostgreSQL'} dump{s.gzip ? ', gzipped' : ''} · made {made(s)} · imported {exactUtc(s.importedAt)} · {size(s.bytes)}
            </div>
            <button
              type="button"
              className="button button-quiet button-small"
              aria-label={`Delete the snapshot of ${s.source}`}
              onClick={async () => {
                const result = await bridge().deleteSnapshot({ id: s.id });
                setMessage(result.ok ? null : result.error.message);
                await reload();
              }}
            >
              Delete
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
