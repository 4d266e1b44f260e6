/**
 * What stands out on the site, on request: addresses shared by several accounts,
 * sessions of blocked or deleted accounts, sessions beyond the age and idle policy
 * (NIST SP 800-63B AAL2 by default). Each one opens the board filtered to it.
 */
import type { Anomaly, AnomalyReport, SessionFilter } from '../../../shared/domain';
import { formatDuration } from '../../../shared/time';
import { useConsole } from '../../app/console-store';
import { ErrorNotice } from '../../ui/Notice';

const TITLES: Record<Anomaly['kind'], string> = {
  'shared-ip': 'Address shared by several accounts',
  'multi-country': 'One account in several countries at once',
  'multi-network': 'One account on several networks at once',
  'blocked-owner': 'Sessions of blocked accounts',
  'orphan': 'Sessions of deleted accounts',
  'absolute-age': 'Older than the policy allows',
  'idle': 'Idle longer than the policy allows',
};

function filterFor(anomaly: Anomaly, report: AnomalyReport): SessionFilter {
  switch (anomaly.kind) {
    case 'shared-ip':
      return { ip: anomaly.detail.split(' ')[0]! };
    case 'multi-country':
    case 'multi-network':
      return { user: { uid: anomaly.uids[0]! }, states: ['active', 'idle'] };
    case 'blocked-owner':
      return { ownerBlocked: true };
    case 'orphan':
      return { orphan: true };
    case 'absolute-age':
      return { createdBefore: report.asOf - report.policy.maxAge };
    case 'idle':
      return { usedBefore: report.asOf - report.policy.maxIdle };
  }
}

export function AnomaliesPanel() {
  const anomalies = useConsole((s) => s.anomalies);
  const { loadAnomalies, setBoardMode, loadBoard } = useConsole.getState();
  const report = anomalies.data;
  const show = async (anomaly: Anomaly) => {
    if (!report) return;
    await setBoardMode('sessions');
    await loadBoard(filterFor(anomaly, report), 0);
  };

  return (
    <section className="anomalies" aria-labelledby="anomalies-title">
      <div className="row">
        <h3 id="anomalies-title">Anomalies</h3>
        <button type="button" className="button button-small" onClick={() => void loadAnomalies()} disabled={anomalies.loading}>
          {anomalies.loading ? 'Checking…' : report ? 'Check again' : 'Check the site'}
        </button>
        {report && (
          <span className="small muted">
            Policy: at most {formatDuration(report.policy.maxAge)} from sign-in, {formatDuration(report.policy.maxIdle)} idle (NIST SP 800-63B, AAL2).
          </span>
        )}
      </div>
      {anomalies.error && <ErrorNotice error={anomalies.error} />}
      {report && report.anomalies.length === 0 && <p className="small muted">Nothing stands out.</p>}
      {report && report.anomalies.length > 0 && (
        <ul className="anomaly-list">
          {report.anomalies.map((anomaly, index) => (
            <li key={`${anomaly.kind}-${index}`} className={`anomaly anomaly-${anomaly.kind}`}>
              <div>
                <strong>{TITLES[anomaly.kind]}</strong>
                <div className="small">{anomaly.detail}</div>
              </div>
              <button type="button" className="button button-small" onClick={() => void show(anomaly)}>
                Show {anomaly.count === 1 ? 'it' : 'them'}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
