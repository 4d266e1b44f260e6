/**
 * "Export CSV" for a list: the main process gathers every page, asks where to save, and
 * writes the CSV with a .meta.json beside it. Says where it went, or why it did not.
 */
import { useState } from 'react';
import type { AppError } from '../../shared/errors';
import type { ExportRequest } from '../../shared/ipc/contract';
import { useConsole } from '../app/console-store';
import { asAppError, unwrap } from '../lib/bridge';
import { ErrorNotice } from './Notice';

export function ExportButton({ request, disabled = false }: { request: ExportRequest; disabled?: boolean }) {
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const run = async () => {
    setBusy(true);
    setDone(null);
    setError(null);
    try {
      const result = await unwrap(useConsole.getState().exportList(request));
      if (result.file) setDone(`Exported ${result.rows.toLocaleString('en')} row${result.rows === 1 ? '' : 's'} to ${result.file} (with its .meta.json).`);
    } catch (failure) {
      setError(asAppError(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" className="button" onClick={() => void run()} disabled={disabled || busy}>
        {busy ? 'Exporting…' : 'Export CSV'}
      </button>
      {(done || error) && (
        <div className="export-result">
          {done && <div className="notice notice-success" role="status">{done}</div>}
          {error && <ErrorNotice error={error} onDismiss={() => setError(null)} />}
        </div>
      )}
    </>
  );
}
