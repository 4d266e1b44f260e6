import { defaultTlsMode, effectiveTlsMode, isLoopbackHost, mayBeUnencrypted, TLS_MODE_DESCRIPTIONS, TLS_MODES, type TlsMode, type TlsSettings } from '../../../shared/tls';
import type { CredentialFileKind } from '../../../shared/ipc/contract';
import { bridge, unwrap } from '../../lib/bridge';

export interface TlsForm {
  /** '' : the default for the host. */
  mode: TlsMode | '';
  ca: string;
  cert: string;
  key: string;
}

export function tlsForm(tls: TlsSettings | undefined): TlsForm {
  return { mode: tls?.mode ?? '', ca: tls?.ca ?? '', cert: tls?.cert ?? '', key: tls?.key ?? '' };
}

/** The settings to save: only what was set, nothing at all for the default. */
export function tlsSettings(form: TlsForm): TlsSettings | undefined {
  const settings: TlsSettings = {
    ...(form.mode ? { mode: form.mode } : {}),
    ...(form.ca.trim() ? { ca: form.ca.trim() } : {}),
    ...(form.cert.trim() ? { cert: form.cert.trim() } : {}),
    ...(form.key.trim() ? { key: form.key.trim() } : {}),
  };
  return Object.keys(settings).length > 0 ? settings : undefined;
}

const FILES: Array<{ kind: CredentialFileKind; label: string; field: 'ca' | 'cert' | 'key'; placeholder: string }> = [
  { kind: 'ca', field: 'ca', label: 'Certificate authority (CA) file', placeholder: 'the system’s authorities' },
  { kind: 'cert', field: 'cert', label: 'Client certificate file', placeholder: 'none' },
  { kind: 'key', field: 'key', label: 'Client key file', placeholder: 'none' },
];

/** The encryption part of the connection form: the TLS mode, and the certificate files. */
export function TlsFields({ host, value, onChange }: { host: string; value: TlsForm; onChange: (next: TlsForm) => void }) {
  const mode = effectiveTlsMode(host, value.mode ? { mode: value.mode } : undefined);
  const remote = host.trim() !== '' && !isLoopbackHost(host);
  const set = (field: keyof TlsForm, text: string) => onChange({ ...value, [field]: text });
  return (
    <fieldset className="field tls-fields">
      <legend>Encryption (TLS)</legend>
      <div className="field">
        <label htmlFor="tls-mode">TLS mode</label>
        <select id="tls-mode" value={value.mode} onChange={(e) => set('mode', e.target.value)} aria-describedby="tls-mode-note">
          <option value="">Default: {defaultTlsMode(host || 'remote')} {host.trim() && !remote ? '(this computer)' : '(another computer)'}</option>
          {TLS_MODES.map((m) => (
            <option key={m} value={m}>
              {m} — {TLS_MODE_DESCRIPTIONS[m]}
            </option>
          ))}
        </select>
        <small id="tls-mode-note" className={mayBeUnencrypted(mode) && remote ? 'field-error' : 'muted'}>
          {mayBeUnencrypted(mode) && remote
            ? 'Not encrypted: the database password and the session data may cross the network readable.'
            : `${mode}: ${TLS_MODE_DESCRIPTIONS[mode]}.`}
        </small>
      </div>
      {value.mode !== 'disable' && (
        <details className="tls-files" open={value.ca !== '' || value.cert !== '' || value.key !== ''}>
          <summary>Certificate files</summary>
          {FILES.map((file) => (
            <div key={file.kind} className="field">
              <label htmlFor={`tls-${file.kind}`}>{file.label}</label>
              <div className="row">
                <input id={`tls-${file.kind}`} className="grow mono" value={value[file.field]} onChange={(e) => set(file.field, e.target.value)}
                  placeholder={file.placeholder} spellCheck={false} />
                <button type="button" className="button" aria-label={`Choose the ${file.label.toLowerCase()}`} onClick={async () => {
                  const chosen = await unwrap(bridge().chooseCredentialFile({ kind: file.kind })).catch(() => null);
                  if (chosen) set(file.field, chosen);
                }}>
                  Choose…
                </button>
              </div>
            </div>
          ))}
        </details>
      )}
    </fieldset>
  );
}
