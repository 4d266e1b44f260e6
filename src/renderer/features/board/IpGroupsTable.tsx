/** The matching sessions grouped by address: who else is on 203.0.113.5? */
import type { IpGroup, IpGroupPage } from '../../../shared/domain';
import { RelativeTime } from '../../ui/Time';
import { Place } from '../../ui/Place';

export function IpGroupsTable({ page, now, onOpen }: { page: IpGroupPage; now: number; onOpen: (ip: string) => void }) {
  return (
    <div className="table-wrap">
      <table className="sessions-table ip-table">
        <thead>
          <tr>
            <th>IP address</th>
            <th>Accounts</th>
            <th>Sessions</th>
            <th>Last used</th>
          </tr>
        </thead>
        <tbody>
          {page.ips.map((group: IpGroup) => (
            <tr key={group.ip} className={group.accounts > 1 ? 'shared' : ''}>
              <td className="mono ip">
                <button type="button" className="link mono" onClick={() => onOpen(group.ip)} title={`Show the sessions from ${group.ip}`}>
                  {group.ip || '—'}
                </button>
                <Place location={group} />
              </td>
              <td>
                {group.accounts}
                {group.accounts > 1 && <span className="badge badge-warning" title="One address, several accounts: worth a look">shared</span>}
              </td>
              <td>{group.sessions}</td>
              <td className="nowrap"><RelativeTime unix={group.lastUsed} now={now} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
