/**
 * A user's "remember me" tokens (the Persistent Login module), beside their sessions:
 * each signs its browser back in after the sessions end, so they matter as much as the
 * sessions do. Only a prefix of each series is ever shown; never the token.
 */
import type { RememberMeToken } from '../../../shared/domain';
import { RelativeTime } from '../../ui/Time';

export function RememberMeTokens({ tokens, now, readOnly }: { tokens: RememberMeToken[] | null; now: number; readOnly: boolean }) {
  if (tokens === null) {
    return <p className="small muted tokens-note">Remember-me tokens: none here; this site does not use the Persistent Login module (no persistent_login table).</p>;
  }
  return (
    <section className="tokens" aria-labelledby="tokens-title">
      <h3 id="tokens-title">
        Remember-me tokens <span className={`count${tokens.length === 0 ? ' zero' : ''}`}>{tokens.length}</span>
      </h3>
      {tokens.length === 0 ? (
        <p className="small muted">None: no browser can sign this user back in without their password.</p>
      ) : (
        <>
          <p className="small muted">
            Each one signs its browser back in after the sessions end.{readOnly ? '' : ' “Revoke all…” deletes them with the sessions.'}
          </p>
          <div className="table-wrap">
            <table className="sessions-table tokens-table">
              <thead>
                <tr>
                  <th>Series</th>
                  <th>Created</th>
                  <th>Last used</th>
                  <th>Expires</th>
                </tr>
              </thead>
              <tbody>
                {tokens.map((token, index) => (
                  <tr key={`${token.seriesPrefix}-${index}`}>
                    <td className="mono small" title="The first characters of the token's series">{token.seriesPrefix}…</td>
                    <td className="nowrap"><RelativeTime unix={token.created} now={now} /></td>
                    <td className="nowrap"><RelativeTime unix={token.refreshed} now={now} /></td>
                    <td className="nowrap">{token.expires === null ? 'Never' : <RelativeTime unix={token.expires} now={now} />}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
