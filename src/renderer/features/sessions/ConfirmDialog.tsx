import { useState } from 'react';
import type { UserSessions } from '../../../shared/domain';
import { useExactTime } from '../../app/time-zone';
import { useConsole } from '../../app/console-store';
import type { Dialog as RevokeDialog } from './sessions-slice';
import { useReferenceTime } from '../../app/use-now';
import { ErrorNotice } from '../../ui/Notice';
import { RelativeTime } from '../../ui/Time';
import { Dialog } from '../../ui/Dialog';

/** Sessions listed by name in the dialog; the rest are counted. */
const LISTED = 50;

/**
 * Says exactly what will be revoked, and asks. Escape and Cancel close it without
 * change. Revoking all needs the username typed.
 */

export function ConfirmDialog({ dialog, data }: { dialog: Exclude<NonNullable<RevokeDialog>, { kind: 'unblock' }>; data: UserSessions }) {
  const close = useConsole((s) => s.closeDialog);
  const confirm = useConsole((s) => s.confirmRevoke);
  const revoking = useConsole((s) => s.revoking);
  const error = useConsole((s) => s.dialogError);
  const [typed, setTyped] = useState('');
  const [block, setBlock] = useState(false);
  const operator = useConsole((s) => s.operator);
  const now = useReferenceTime();
  const exact = useExactTime();
  // Blocking goes with "revoke all", for those with "administer users", never oneself.
  const canBlock = dialog.kind === 'revokeAll' && operator?.canAdministerUsers === true && data.user.status === 'active' && data.user.uid !== operator.uid;

  const all = dialog.kind === 'revokeAll';
  const tokens = data.rememberMe?.length ?? 0;
  const targets = all ? data.sessions : data.sessions.filter((s) => dialog.sids.includes(s.sid));
  // "All" covers every session of the user, not only the page on screen.
  const n = all ? data.total : targets.length;
  const noun = `session${n === 1 ? '' : 's'}`;
  // Trimmed on both sides, as the main process compares them.
  const nameMatches = typed.trim().toLowerCase() === data.user.name.trim().toLowerCase();
  const canConfirm = !revoking && (n > 0 || (all && (tokens > 0 || block))) && (!all || nameMatches);
  const action = all ? `Revoke all ${n} ${noun}${block ? ' and block' : ''}` : `Revoke ${n} ${noun}`;

  return (
    <Dialog
      title={all ? `Revoke all ${n > 0 || tokens === 0 ? 'sessions' : 'remember-me tokens'} of ${data.user.name}?` : `Revoke ${n === 1 ? 'this session' : `${n} sessions`} of ${data.user.name}?`}
      onClose={close}
      returnFocusTo="sessions-title"
      focusField={all}
      actions={
        <>
          <button type="button" className="button" onClick={close} disabled={revoking} data-autofocus>
            Cancel
          </button>
          <button type="button" className="button button-danger" disabled={!canConfirm} onClick={() => void confirm(all ? typed : undefined, block)}>
            {revoking ? 'Revoking…' : action}
          </button>
        </>
      }
    >
      {operator && data.user.uid === operator.uid && n > 0 && (
        <p className="notice-warn own-warning" role="note">
          <strong>These are your own sessions.</strong> Revoking them signs you out of the Drupal site in {n === 1 ? 'that browser' : 'those browsers'}
          {all ? ', including the one you may be using now' : ''}; this app stays signed in.
        </p>
      )}
      <p>
        {n === 1 ? 'The browser using it is' : 'The browsers using them are'} signed out at their next request.
        {' '}This cannot be undone; the user can sign in again.
      </p>
      {all && tokens > 0 && (
        <p>
          <strong>
            {tokens === 1 ? 'Their remember-me token is' : `Their ${tokens} remember-me tokens are`} deleted too
          </strong>
          , so no browser signs back in without the password.
        </p>
      )}
      <ul className="confirm-list">
        {targets.slice(0, LISTED).map((s) => (
          <li key={s.sid}>
            <span className="mono">{s.hostname || 'unknown IP'}</span>
            <span className="muted">
              last used <RelativeTime unix={s.timestamp} now={now} /> ({exact(s.timestamp)})
            </span>
          </li>
        ))}
        {n > Math.min(targets.length, LISTED) && <li className="muted">… and {(n - Math.min(targets.length, LISTED)).toLocaleString('en')} more</li>}
      </ul>
      {all && (
        <label className="field">
          <span>
            Type <strong className="mono">{data.user.name}</strong> to confirm
          </span>
          <input value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" spellCheck={false}
            onKeyDown={(e) => { if (e.key === 'Enter' && canConfirm) void confirm(typed, block); }} />
        </label>
      )}
      {canBlock && (
        <label className="check block-check">
          <input type="checkbox" checked={block} onChange={(e) => setBlock(e.target.checked)} />
          <span>
            <strong>Also block this account</strong>: it cannot sign in again until an administrator unblocks it (as blocking it in Drupal
            does). Use this when the password itself is compromised.
          </span>
        </label>
      )}
      {error && <ErrorNotice error={error} />}
    </Dialog>
  );
}
