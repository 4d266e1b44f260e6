/** Unblocking an account: said plainly, confirmed with one click, never by accident. */
import type { UserSummary } from '../../../shared/domain';
import { useConsole } from '../../app/console-store';
import { Dialog } from '../../ui/Dialog';
import { ErrorNotice } from '../../ui/Notice';

export function UnblockDialog({ user }: { user: UserSummary }) {
  const close = useConsole((s) => s.closeDialog);
  const confirm = useConsole((s) => s.confirmUnblock);
  const working = useConsole((s) => s.revoking);
  const error = useConsole((s) => s.dialogError);
  return (
    <Dialog
      title={`Unblock ${user.name}?`}
      onClose={close}
      returnFocusTo="sessions-title"
      actions={
        <>
          <button type="button" className="button" onClick={close} disabled={working} data-autofocus>Cancel</button>
          <button type="button" className="button button-primary" onClick={() => void confirm()} disabled={working}>
            {working ? 'Unblocking…' : 'Unblock the account'}
          </button>
        </>
      }
    >
      <p>The account (uid {user.uid}) can sign in again with its password, on every language of the site.</p>
      {error && <ErrorNotice error={error} />}
    </Dialog>
  );
}
