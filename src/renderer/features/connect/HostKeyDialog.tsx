import { useConsole } from '../../app/console-store';
import { Dialog } from '../../ui/Dialog';

/**
 * The first connection to an SSH server: its host key's fingerprint, to compare with the
 * one its administrator gives, before anything is sent to it. Cancel is the default.
 */
export function HostKeyDialog() {
  const prompt = useConsole((s) => s.hostKeyPrompt);
  const trust = useConsole((s) => s.trustHostKey);
  const dismiss = useConsole((s) => s.dismissHostKey);
  const busy = useConsole((s) => s.busy);
  if (!prompt) return null;
  const { key } = prompt;
  const where = `${key.host.includes(':') ? `[${key.host}]` : key.host}${key.port === 22 ? '' : `:${key.port}`}`;
  return (
    <Dialog
      title="Trust this SSH server?"
      onClose={dismiss}
      actions={
        <>
          <button type="button" className="button" onClick={dismiss} data-autofocus>
            Cancel
          </button>
          <button type="button" className="button button-primary" disabled={busy !== null} onClick={() => void trust()}>
            Trust and connect
          </button>
        </>
      }
    >
      <p>
        This is the first connection to the SSH server <strong className="mono">{where}</strong>. Nothing has been sent to it yet.
      </p>
      <dl className="host-key">
        <dt>Key type</dt>
        <dd className="mono">{key.type}</dd>
        <dt>Fingerprint</dt>
        <dd className="mono host-key-fingerprint">{key.fingerprint}</dd>
      </dl>
      <p className="muted">
        Compare the fingerprint with the one the server’s administrator gives you (on the server: <span className="mono">ssh-keygen -lf
        /etc/ssh/ssh_host_{key.type.replace(/^ssh-|-.*$/g, '')}_key.pub</span>). Once trusted, it is recorded in
        Session Inspector’s known hosts, and a different key for this server is refused.
      </p>
    </Dialog>
  );
}
