import { useState } from 'react';
import { ENGINE_LABELS } from '../../../shared/engines';
import type { Profile } from '../../../shared/ipc/contract';
import { effectiveTlsMode, isLoopbackHost, mayBeUnencrypted } from '../../../shared/tls';
import { useConsole } from '../../app/console-store';
import { ErrorNotice, SuccessNotice } from '../../ui/Notice';
import { ImportProgress } from './ImportProgress';
import { ProfileForm } from './ProfileForm';
import { SnapshotsCard } from './SnapshotsCard';
import { HostKeyDialog } from './HostKeyDialog';
import { describeSsh } from '../../../shared/ssh';

/** The engine, or "Dump" for a file named like one (what it is, is read from its content on connecting). */
function kindLabel(profile: Profile): string {
  return profile.engine === 'sqlite' && /\.(sql|gz|dump)$/i.test(profile.file ?? '') ? 'Dump' : ENGINE_LABELS[profile.engine];
}

function where(profile: Profile): string {
  if (profile.engine === 'sqlite') return profile.file ?? '';
  const database = `${profile.user}@${profile.host}:${profile.port ?? ''}/${profile.database}`;
  return profile.ssh ? `${database} via ${describeSsh(profile.ssh)}` : database;
}

/** A server elsewhere whose TLS mode lets traffic go unencrypted: marked so. */
function mayGoUnencrypted(profile: Profile): boolean {
  if (profile.engine === 'sqlite' || !profile.host) return false;
  return !isLoopbackHost(profile.host) && mayBeUnencrypted(effectiveTlsMode(profile.host, profile.tls));
}

function ProfileCard({ profile, onEdit }: { profile: Profile; onEdit: () => void }) {
  const connect = useConsole((s) => s.connect);
  const remove = useConsole((s) => s.deleteProfile);
  const busy = useConsole((s) => s.busy);
  const needsPassword = profile.engine !== 'sqlite' && !profile.hasPassword;
  const [password, setPassword] = useState('');
  // Asked for when it cannot be kept (no keyring) or was never given; blank for a key without one.
  const asksPassphrase = profile.ssh?.keyFile !== undefined && !profile.hasSshPassphrase;
  const [passphrase, setPassphrase] = useState('');
  const [confirmDelete, setConfirmDelete] = useState(false);

  return (
    <li className="card profile-card">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void connect(profile.id, needsPassword ? password : undefined, asksPassphrase && passphrase ? passphrase : undefined);
        }}
      >
        <div className="profile-head">
          <h3>{profile.name}</h3>
          <span className="pill">{kindLabel(profile)}</span>
          {profile.production && <span className="pill pill-production">Production</span>}
          {mayGoUnencrypted(profile) && (
            <span className="pill pill-unencrypted" title={`TLS mode ${profile.tls?.mode}: the password and session data may cross the network readable`}>
              Not encrypted
            </span>
          )}
          {profile.readOnly && <span className="pill pill-warn" title="Snapshot audit: nothing can be changed through this connection">Read-only</span>}
        </div>
        <div className="profile-where mono" title={where(profile)}>
          {where(profile)}
          {profile.prefix && <span className="muted"> · prefix {profile.prefix}</span>}
        </div>
        {needsPassword && (
          <label className="field field-inline">
            <span>Database password</span>
            <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="off" aria-label={`Database password for ${profile.name}`} />
          </label>
        )}
        {asksPassphrase && (
          <label className="field field-inline">
            <span>SSH key passphrase <span className="muted">(if the key has one)</span></span>
            <input type="password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} autoComplete="off" aria-label={`SSH key passphrase for ${profile.name}`} />
          </label>
        )}
        <div className="row">
          <button type="submit" className="button button-primary" disabled={busy !== null}>
            {busy === 'connecting' ? 'Connecting…' : 'Connect'}
          </button>
          <button type="button" className="button" onClick={onEdit}>
            Edit
          </button>
          <span className="spacer" />
          {confirmDelete ? (
            <>
              <span className="muted">Delete this connection?</span>
              <button type="button" className="button button-danger button-small" onClick={() => void remove(profile.id)}>
                Delete
              </button>
              <button type="button" className="button button-quiet button-small" onClick={() => setConfirmDelete(false)}>
                Keep
              </button>
            </>
          ) : (
            <button type="button" className="button button-quiet" onClick={() => setConfirmDelete(true)}>
              Delete
            </button>
          )}
        </div>
      </form>
    </li>
  );
}

export function ConnectScreen() {
  const profiles = useConsole((s) => s.profiles);
  const openDemo = useConsole((s) => s.openDemo);
  const openFile = useConsole((s) => s.openFile);
  const busy = useConsole((s) => s.busy);
  const error = useConsole((s) => s.error);
  const notice = useConsole((s) => s.notice);
  const dismiss = useConsole((s) => s.dismiss);
  const [editing, setEditing] = useState<Profile | 'new' | null>(null);

  return (
    <div className="connect-screen">
      <section className="connect-list" aria-labelledby="connections-title">
        <div className="section-head">
          <h2 id="connections-title">Connect to a Drupal site</h2>
          <div className="row">
            <button type="button" className="button" onClick={() => void openFile()} disabled={busy !== null}
              title="A dump (mysqldump, pg_dump; .sql or .sql.gz) or a SQLite file, opened read-only">
              Open a dump or file…
            </button>
            <button type="button" className="button" onClick={() => setEditing('new')}>
              New connection
            </button>
          </div>
        </div>
        <ImportProgress />
        <HostKeyDialog />
        {error && <ErrorNotice error={error} onDismiss={dismiss} />}
        {notice && <SuccessNotice text={notice} onDismiss={dismiss} />}
        {profiles.length === 0 ? (
          <div className="empty">
            <p>No saved connections yet.</p>
            <p className="muted">Add the database of a Drupal 8–11 site (SQLite, PostgreSQL or MySQL/MariaDB), or try the demo site first.</p>
          </div>
        ) : (
          <ul className="profile-list">
            {profiles.map((p) => (
              <ProfileCard key={p.id} profile={p} onEdit={() => setEditing(p)} />
            ))}
          </ul>
        )}
        <div className="card demo-card">
          <div>
            <h3>New here?</h3>
            <p className="muted">Open a demo Drupal site with realistic users and sessions, created on this computer.</p>
          </div>
          <button type="button" className="button button-primary" onClick={() => void openDemo()} disabled={busy !== null}>
            {busy === 'creating-demo' ? 'Creating…' : 'Open demo site'}
          </button>
        </div>
        <SnapshotsCard />
      </section>
      {editing && (
        <section className="connect-form card" aria-label={editing === 'new' ? 'New connection' : `Edit ${editing.name}`}>
          <ProfileForm profile={editing === 'new' ? null : editing} onDone={() => setEditing(null)} />
        </section>
      )}
    </div>
  );
}
