/**
 * How a session's state and flags look, wherever sessions are listed (a user's
 * sessions, the site-wide board): one badge, one wording, one legend.
 */
import { ACTIVE_WINDOW_SECONDS, type SessionInfo, type SessionState } from '../../shared/domain';

const STATE_HELP: Record<SessionState, string> = {
  active: `used in the last ${ACTIVE_WINDOW_SECONDS / 60} minutes`,
  idle: 'not used for a while, still valid',
  stale: 'unused for longer than the session lifetime (gc_maxlifetime); Drupal will delete it',
};

export function StateBadge({ state }: { state: SessionState }) {
  return (
    <span className={`state state-${state}`} title={STATE_HELP[state]}>
      <span className="dot" aria-hidden="true" />
      {state}
    </span>
  );
}

export function Legend() {
  return (
    <div className="legend small muted" aria-label="Legend">
      {(Object.keys(STATE_HELP) as SessionState[]).map((state) => (
        <span key={state}>
          <StateBadge state={state} /> {STATE_HELP[state]}
        </span>
      ))}
    </div>
  );
}

export function Flags({ session }: { session: SessionInfo }) {
  return (
    <>
      {session.masqueradeBy !== null && (
        <span
          className="flag flag-masquerade"
          title={`${session.masqueradeByName ? `${session.masqueradeByName} (uid ${session.masqueradeBy})` : `The account with uid ${session.masqueradeBy}`} is impersonating this user in this session`}
        >
          Masquerade by {session.masqueradeByName ?? `uid ${session.masqueradeBy}`}
        </span>
      )}
      {session.passwordReset && (
        <span className="flag flag-reset" title="A one-time login link was used and the password has not been changed yet">
          Password reset pending
        </span>
      )}
      {!session.readable && (
        <span className="flag flag-unreadable" title="The session data is damaged or in a format this app does not read; the row itself is intact">
          Data unreadable
        </span>
      )}
    </>
  );
}

