/**
 * Revoke by criteria: the main process has matched the sessions (and holds exactly
 * those); this dialog says how many, of how many users, for which filters, and revokes
 * them once their number is typed. Sessions that start after the preview are not included.
 */
import { useState } from 'react';
import { useExactTime } from '../../app/time-zone';
import { useConsole } from '../../app/console-store';
import { Dialog } from '../../ui/Dialog';
import { ErrorNotice } from '../../ui/Notice';
import { describeFilter } from './BoardFilters';

export function RevokeMatchingDialog() {
  const exact = useExactTime();
  const pending = useConsole((s) => s.boardRevoke);
  const filter = useConsole((s) => s.boardFilter);
  const close = useConsole((s) => s.closeBoardRevoke);
  const confirm = useConsole((s) => s.confirmBoardRevoke);
  const [typed, setTyped] = useState('');
  if (!pending) return null;
  const { preview, previewing, revoking, error } = pending;
  const n = preview?.total ?? 0;
  const matches = preview !== null && typed.trim() !== '' && Number(typed.trim().replace(/[,\s]/g, '')) === n;
  const canConfirm = !revoking && n > 0 && matches;
  const noun = `session${n === 1 ? '' : 's'}`;
  const submit = () => {
    if (canConfirm) void confirm(n);
  };

  return (
    <Dialog
      title={preview ? (n === 0 ? 'No sessions match' : `Revoke ${n.toLocaleString('en')} ${noun} of ${preview.users.toLocaleString('en')} user${preview.users === 1 ? '' : 's'}?`) : 'Matching sessions…'}
      onClose={close}
      returnFocusTo="board-title"
      focusField={n > 0}
      actions={
        <>
          <button type="button" className="button" onClick={close} disabled={revoking} data-autofocus>
            {n === 0 && preview ? 'Close' : 'Cancel'}
          </button>
          {n > 0 && (
            <button type="button" className="button button-danger" disabled={!canConfirm} onClick={submit}>
              {revoking ? 'Revoking…' : `Revoke ${n.toLocaleString('en')} ${noun}`}
            </button>
          )}
        </>
      }
    >
      {previewing && <p className="muted">Finding the sessions that match…</p>}
      {preview && (
        <>
          <p>
            Filters: <strong>{describeFilter(filter)}</strong>.
          </p>
          {n > 0 ? (
            <>
              <p>
                Exactly the {n.toLocaleString('en')} {noun} that matched at {exact(preview.asOf)} are revoked; the browsers using them are signed
                out at their next request. Sessions that start after this preview are not touched. Accounts stay as they are: their owners
                can sign in again.
              </p>
              <label className="field">
                <span>
                  Type <strong className="mono">{n}</strong> to confirm
                </span>
                <input value={typed} onChange={(e) => setTyped(e.target.value)} inputMode="numeric" autoComplete="off" spellCheck={false}
                  onKeyDown={(e) => { if (e.key === 'Enter') submit(); }} />
              </label>
            </>
          ) : (
            <p className="muted">Nothing to revoke: no session matches these filters now.</p>
          )}
        </>
      )}
      {error && <ErrorNotice error={error} />}
    </Dialog>
  );
}
