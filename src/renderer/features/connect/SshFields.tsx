import { describeSsh, parseSshAddress, type SshSettings } from '../../../shared/ssh';
import { bridge, unwrap } from '../../lib/bridge';

export interface SshForm {
  on: boolean;
  /** user@host[:port], as typed. */
  address: string;
  keyFile: string;
  passphrase: string;
  /** Forget the stored passphrase on saving. */
  forgetPassphrase: boolean;
}

export function sshForm(ssh: SshSettings | undefined): SshForm {
  return { on: ssh !== undefined, address: ssh ? describeSsh(ssh) : '', keyFile: ssh?.keyFile ?? '', passphrase: '', forgetPassphrase: false };
}

/** The settings to save, or why the address cannot be read (shown under its field). */
export function sshSettings(form: SshForm): { ssh?: SshSettings; problem?: string } {
  if (!form.on) return {};
  try {
    const address = parseSshAddress(form.address, 'The SSH server');
    return { ssh: { ...address, ...(form.keyFile.trim() ? { keyFile: form.keyFile.trim() } : {}) } };
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }
}

/** The tunnel part of the connection form: an SSH server (a bastion), the key, its passphrase. */
export function SshFields({ value, onChange, hasStoredPassphrase }: { value: SshForm; onChange: (next: SshForm) => void; hasStoredPassphrase: boolean }) {
  const set = (field: keyof SshForm, next: string | boolean) => onChange({ ...value, [field]: next });
  const forgetting = hasStoredPassphrase && value.forgetPassphrase;
  const { problem } = sshSettings(value);
  return (
    <fieldset className="field ssh-fields">
      <legend>SSH tunnel</legend>
      <label className="check">
        <input type="checkbox" checked={value.on} onChange={(e) => set('on', e.target.checked)} />
        <span>
          Connect through an SSH server <span className="muted">— host and port above are then the database as that server sees it.</span>
        </span>
      </label>
      {value.on && (
        <>
          <div className="field">
            <label htmlFor="ssh-address">SSH server</label>
            <input id="ssh-address" className="mono" value={value.address} onChange={(e) => set('address', e.target.value)} placeholder="deploy@bastion.example.com:22"
              spellCheck={false} autoComplete="off" aria-invalid={value.address !== '' && problem !== undefined} aria-describedby="ssh-address-note" />
            <small id="ssh-address-note" className={value.address !== '' && problem ? 'field-error' : 'muted'}>
              {value.address !== '' && problem ? problem : 'Your account on the SSH server, user@host or user@host:port.'}
            </small>
          </div>
          <div className="field">
            <label htmlFor="ssh-key">SSH key file</label>
            <div className="row">
              <input id="ssh-key" className="grow mono" value={value.keyFile} onChange={(e) => set('keyFile', e.target.value)} placeholder="none: the running SSH agent" spellCheck={false} />
              <button type="button" className="button" aria-label="Choose the SSH key file" onClick={async () => {
                const chosen = await unwrap(bridge().chooseCredentialFile({ kind: 'sshKey' })).catch(() => null);
                if (chosen) set('keyFile', chosen);
              }}>
                Choose…
              </button>
            </div>
          </div>
          {value.keyFile.trim() !== '' && (
            <div className="field">
              <label htmlFor="ssh-passphrase">Key passphrase</label>
              <input id="ssh-passphrase" type="password" value={value.passphrase} onChange={(e) => set('passphrase', e.target.value)} autoComplete="off" disabled={forgetting}
                placeholder={forgetting ? 'Forgotten when you save: asked for when connecting' : hasStoredPassphrase ? 'Stored (leave empty to keep it)' : 'none'} />
              {hasStoredPassphrase && (
                <label className="check">
                  <input type="checkbox" checked={value.forgetPassphrase} onChange={(e) => onChange({ ...value, forgetPassphrase: e.target.checked, passphrase: '' })} />
                  <span>Forget the stored passphrase</span>
                </label>
              )}
            </div>
          )}
        </>
      )}
    </fieldset>
  );
}
