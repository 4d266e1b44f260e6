import { useState } from 'react';
import { DEFAULT_PORTS, ENGINE_LABELS, ENGINES, type Engine } from '../../../shared/engines';
import { definedOnly } from '../../../shared/objects';
import { sameDatabaseAccount } from '../../../shared/profiles';
import { parseDatabaseUrl } from '../../../shared/database-url';
import type { Profile, ProfileInput } from '../../../shared/ipc/contract';
import { bridge, unwrap } from '../../lib/bridge';
import { useConsole } from '../../app/console-store';
import { Field } from '../../ui/Field';
import { TlsFields, tlsForm, tlsSettings } from './TlsFields';
import { SshFields, sshForm, sshSettings } from './SshFields';

/** The engine picker: every engine, a SQLite one being a file. */
const ENGINE_CHOICES = ENGINES.map((value) => ({
  value,
  label: value === 'sqlite' ? `${ENGINE_LABELS[value]} file` : ENGINE_LABELS[value],
  port: value === 'sqlite' ? undefined : DEFAULT_PORTS[value],
}));

export function ProfileForm({ profile, onDone }: { profile: Profile | null; onDone: () => void }) {
  const save = useConsole((s) => s.saveProfile);
  const testProfile = useConsole((s) => s.testProfile);
  // Once saved, the form edits that profile: saving again updates it, never adds another.
  const [savedId, setSavedId] = useState(profile?.id);
  const canStorePasswords = useConsole((s) => s.canStorePasswords);
  const busy = useConsole((s) => s.busy);
  const [form, setForm] = useState({
    name: profile?.name ?? '',
    engine: profile?.engine ?? ('sqlite' as Engine),
    file: profile?.file ?? '',
    host: profile?.host ?? '127.0.0.1',
    port: String(profile?.port ?? ''),
    database: profile?.database ?? '',
    user: profile?.user ?? '',
    password: '',
    /** Forget the stored password on saving (the main process forgets it on ''). */
    forgetPassword: false,
    prefix: profile?.prefix ?? '',
    schema: profile?.schema ?? '',
    readOnly: profile?.readOnly ?? false,
    superUser: profile?.superUser ?? true,
    gcMaxlifetime: profile?.gcMaxlifetime !== undefined ? String(profile.gcMaxlifetime) : '',
    asOf: profile?.asOf !== undefined ? new Date(profile.asOf * 1000).toISOString().slice(0, 16) : '',
    production: profile?.production ?? false,
    tls: tlsForm(profile?.tls),
    ssh: sshForm(profile?.ssh),
  });
  const [urlNote, setUrlNote] = useState<{ ok: boolean; text: string } | null>(null);
  /** A pasted connection URL fills the fields it names (the password too, if it has one). */
  const fillFromUrl = (text: string) => {
    if (text.trim() === '') return setUrlNote(null);
    try {
      const parsed = parseDatabaseUrl(text);
      if (parsed.engine === 'sqlite') {
        setForm((f) => ({ ...f, engine: 'sqlite', file: parsed.file }));
      } else {
        setForm((f) => ({
          ...f, engine: parsed.engine, host: parsed.host, port: String(parsed.port), database: parsed.database, user: parsed.user,
          ...(parsed.password ? { password: parsed.password } : {}),
          tls: tlsForm(parsed.tls),
        }));
      }
      const extras = parsed.engine === 'sqlite' ? [] : [...(parsed.password ? ['password'] : []), ...(parsed.tls ? ['TLS settings'] : [])];
      setUrlNote({ ok: true, text: `Filled from the URL${extras.length ? `, ${extras.join(' and ')} included` : ''}.` });
    } catch (error) {
      setUrlNote({ ok: false, text: error instanceof Error ? error.message.replace('pass --db <file or URL>', 'paste a URL') : String(error) });
    }
  };
  const set = <K extends keyof typeof form>(key: K, value: (typeof form)[K]) => setForm((f) => ({ ...f, [key]: value }));
  const server = form.engine !== 'sqlite';
  const defaultPort = ENGINE_CHOICES.find((e) => e.value === form.engine)?.port;

  const input = (): ProfileInput => ({
    ...(savedId ? { id: savedId } : {}),
    name: form.name,
    engine: form.engine,
    prefix: form.prefix,
    readOnly: form.readOnly,
    superUser: form.superUser,
    ...(form.production ? { production: true } : {}),
    ...(form.gcMaxlifetime ? { gcMaxlifetime: Number(form.gcMaxlifetime) } : {}),
    // The date field is read as UTC, like every time the app shows.
    ...(form.readOnly && form.asOf ? { asOf: Math.floor(Date.parse(`${form.asOf}:00Z`) / 1000) } : {}),
    ...(server
      ? {
          host: form.host,
          database: form.database,
          user: form.user,
          ...definedOnly({
            port: form.port ? Number(form.port) : defaultPort,
            schema: form.engine === 'pgsql' && form.schema ? form.schema : undefined,
            // A typed password wins; else '' forgets the stored one, undefined keeps it.
            password: form.password || (form.forgetPassword ? '' : undefined),
            tls: tlsSettings(form.tls),
            ssh: sshSettings(form.ssh).ssh,
            sshPassphrase: form.ssh.on ? form.ssh.passphrase || (form.ssh.forgetPassphrase ? '' : undefined) : undefined,
          }),
        }
      : { file: form.file }),
  });
  // The main process keeps a stored password only while it points at the same account.
  const keepsPassword = profile?.hasPassword === true && sameDatabaseAccount(profile, input());

  /** "Test and save": only what connects is saved (the plain Save keeps anything, on purpose). */
  const sshProblem = server ? sshSettings(form.ssh).problem : undefined;
  const submit = async (andTest: boolean) => {
    if (sshProblem) return;
    if (andTest && !(await testProfile(input()))) return;
    const saved = await save(input());
    if (!saved) return;
    setSavedId(saved.id);
    onDone();
  };

  return (
    <form
      className="profile-form"
      onSubmit={(event) => {
        event.preventDefault();
        void submit(false);
      }}
    >
      <h2>{profile ? `Edit “${profile.name}”` : 'New connection'}</h2>
      <label className="field">
        <span>Name</span>
        <input value={form.name} onChange={(e) => set('name', e.target.value)} placeholder="e.g. Production site" required autoFocus />
      </label>
      <label className="field">
        <span>Connection URL <span className="muted">(optional: paste one to fill the fields below)</span></span>
        <input className="mono" placeholder="postgres://user@db.example.com:5432/drupal" spellCheck={false} autoComplete="off"
          onChange={(e) => fillFromUrl(e.target.value)} aria-describedby="url-note" />
        {urlNote && <small id="url-note" className={urlNote.ok ? 'muted' : 'field-error'} role="status">{urlNote.text}</small>}
      </label>
      <fieldset className="field">
        <legend>Database</legend>
        <div className="segmented" role="radiogroup" aria-label="Database engine">
          {ENGINE_CHOICES.map((engine) => (
            <label key={engine.value} className={form.engine === engine.value ? 'selected' : ''}>
              <input type="radio" name="engine" value={engine.value} checked={form.engine === engine.value} onChange={() => set('engine', engine.value)} />
              {engine.label}
            </label>
          ))}
        </div>
      </fieldset>
      {server ? (
        <>
          <div className="field-grid">
            <Field label="Host">
              <input value={form.host} onChange={(e) => set('host', e.target.value)} required />
            </Field>
            <Field label="Port" narrow>
              <input value={form.port} onChange={(e) => set('port', e.target.value.replace(/\D/g, ''))} placeholder={String(defaultPort)} inputMode="numeric" />
            </Field>
          </div>
          <div className="field-grid">
            <Field label="Database">
              <input value={form.database} onChange={(e) => set('database', e.target.value)} required />
            </Field>
            <Field label="User">
              <input value={form.user} onChange={(e) => set('user', e.target.value)} required autoComplete="off" />
            </Field>
          </div>
          <label className="field">
            <span>Password</span>
            <input type="password" value={form.password} onChange={(e) => set('password', e.target.value)} autoComplete="off" disabled={keepsPassword && form.forgetPassword}
              placeholder={keepsPassword ? (form.forgetPassword ? 'Forgotten when you save: asked for when connecting' : 'Stored (leave empty to keep it)') : profile?.hasPassword ? 'Type it again: it is not kept for another server or account' : ''} />
            <small className="muted">
              {canStorePasswords
                ? 'Stored encrypted with your system keyring.'
                : 'No system keyring is available: the password is not stored, you will be asked for it when connecting.'}
            </small>
          </label>
          {keepsPassword && (
            <label className="check">
              <input type="checkbox" checked={form.forgetPassword} onChange={(e) => setForm((f) => ({ ...f, forgetPassword: e.target.checked, password: '' }))} />
              <span>Forget the stored password</span>
            </label>
          )}
          <TlsFields host={form.host} value={form.tls} onChange={(tls) => set('tls', tls)} />
          <SshFields value={form.ssh} onChange={(ssh) => set('ssh', ssh)} hasStoredPassphrase={profile?.hasSshPassphrase === true} />
        </>
      ) : (
        <label className="field">
          <span>SQLite database file, or a dump</span>
          <div className="row">
            <input className="grow mono" value={form.file} onChange={(e) => set('file', e.target.value)} placeholder="/var/www/site/sites/default/files/.ht.sqlite" required />
            <button type="button" className="button" onClick={async () => {
              const file = await unwrap(bridge().chooseSqliteFile()).catch(() => null);
              if (file) set('file', file);
            }}>
              Choose…
            </button>
          </div>
          <small className="muted">
            A mysqldump, mariadb-dump or pg_dump plain dump (.sql or .sql.gz) opens too: imported once into a read-only snapshot, judged as of when it
            was made. The prefix is found in the dump when it holds one site.
          </small>
        </label>
      )}
      <div className="field-grid">
        <label className="field">
          <span>Table prefix</span>
          <input className="mono" value={form.prefix} onChange={(e) => set('prefix', e.target.value)} placeholder="none" />
        </label>
        {form.engine === 'pgsql' && (
          <label className="field">
            <span>Schema</span>
            <input className="mono" value={form.schema} onChange={(e) => set('schema', e.target.value)} placeholder="public" />
          </label>
        )}
      </div>
      <label className="check">
        <input type="checkbox" checked={form.production} onChange={(e) => {
          const on = e.target.checked;
          // A new production connection starts read-only: revoking there is a choice.
          setForm((f) => ({ ...f, production: on, ...(on && !savedId ? { readOnly: true } : {}) }));
        }} />
        <span>
          Production site <span className="muted">— marked in red in the top bar; a new one starts read-only.</span>
        </span>
      </label>
      <label className="check">
        <input type="checkbox" checked={form.readOnly} onChange={(e) => set('readOnly', e.target.checked)} />
        <span>
          Read-only <span className="muted">— for snapshots: nothing can be changed, the file is not touched.</span>
        </span>
      </label>
      <div className="field-grid">
        <label className="field">
          <span>Sessions are stale after (seconds)</span>
          <input value={form.gcMaxlifetime} onChange={(e) => set('gcMaxlifetime', e.target.value.replace(/\D/g, ''))}
            placeholder="200000" inputMode="numeric" title="The site's session.storage.options.gc_maxlifetime; Drupal's default is 200000" />
        </label>
        {form.readOnly && (
          <label className="field">
            <span>Judge activity as of (UTC)</span>
            <input type="datetime-local" value={form.asOf} onChange={(e) => set('asOf', e.target.value)} />
          </label>
        )}
      </div>
      <label className="check">
        <input type="checkbox" checked={form.superUser} onChange={(e) => set('superUser', e.target.checked)} />
        <span>
          uid 1 is the super user <span className="muted">— turn off for sites with security.enable_super_user: false.</span>
        </span>
      </label>
      <div className="row form-actions">
        <button type="submit" className="button button-primary" disabled={busy !== null || sshProblem !== undefined}>
          Save
        </button>
        <button type="button" className="button" disabled={busy !== null || sshProblem !== undefined} onClick={() => void submit(true)}>
          {busy === 'testing' ? 'Testing…' : 'Test and save'}
        </button>
        <span className="spacer" />
        <button type="button" className="button button-quiet" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
