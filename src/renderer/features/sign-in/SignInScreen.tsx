import { useState } from 'react';
import { useConsole } from '../../app/console-store';
import { ErrorNotice } from '../../ui/Notice';

export function SignInScreen() {
  const connection = useConsole((s) => s.connection);
  const demoAccounts = useConsole((s) => s.demoAccounts);
  const signIn = useConsole((s) => s.signIn);
  const busy = useConsole((s) => s.busy);
  const error = useConsole((s) => s.error);
  const dismiss = useConsole((s) => s.dismiss);
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');

  return (
    <div className="signin-screen">
      <form
        className="card signin-card"
        onSubmit={(event) => {
          event.preventDefault();
          void signIn(name, password);
        }}
      >
        <h2>Sign in with your Drupal account</h2>
        <p className="muted">
          {connection?.description}
          {connection?.readOnly ? ' · read-only' : ''}
        </p>
        {error && <ErrorNotice error={error} onDismiss={dismiss} />}
        <label className="field">
          <span>Username</span>
          <input value={name} onChange={(e) => setName(e.target.value)} autoComplete="username" autoFocus required />
        </label>
        <label className="field">
          <span>Password</span>
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" required />
        </label>
        <button type="submit" className="button button-primary button-wide" disabled={busy !== null}>
          {busy === 'signing-in' ? 'Signing in…' : 'Sign in'}
        </button>
        <p className="muted small">
          You need the permission “inspect own user sessions” or “inspect other user sessions” on this site.
        </p>
      </form>
      {demoAccounts && (
        <aside className="card demo-accounts" aria-label="Demo accounts">
          <h3>Demo site accounts</h3>
          <p className="muted small">This database was just created on your computer. Sign in as:</p>
          <table className="plain">
            <tbody>
              {demoAccounts.map((a) => (
                <tr key={a.name}>
                  <td className="mono">{a.name}</td>
                  <td className="mono">{a.password}</td>
                  <td className="muted small">{a.role}</td>
                  <td>
                    <button type="button" className="button button-small" onClick={() => { setName(a.name); setPassword(a.password); }}>
                      Use
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </aside>
      )}
    </div>
  );
}
