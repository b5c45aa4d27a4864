/** The tenant's KPI targets beside the actuals (seed 002), as GET /v1/kpis judges them. */
export interface KpiTargetStatus {
  kpi: 'modificationRate' | 'resolutionMsP50' | 'integrityErrors';
  target: number;
  actual: number | null;
  status: 'met' | 'missed' | 'no-data';
  windowHours: number;
  detail: string;
}

const LABEL: Record<KpiTargetStatus['kpi'], string> = {
  modificationRate: 'Modification rate',
  resolutionMsP50: 'Edit resolution (median)',
  integrityErrors: 'Integrity errors',
};
// The server's statuses in the badge colours the console already uses.
const BADGE: Record<KpiTargetStatus['status'], string> = {
  met: 'badge badge-applied',
  missed: 'badge badge-rejected',
  'no-data': 'badge',
};

export function KpiTargets({ targets }: { targets: KpiTargetStatus[] }) {
  return (
    <section className="card" aria-label="KPI targets">
      <h2>Targets</h2>
      <table>
        <thead>
          <tr>
            <th>KPI</th>
            <th>Status</th>
            <th>Actual against target</th>
          </tr>
        </thead>
        <tbody>
          {targets.map((t) => (
            <tr key={t.kpi} data-kpi={t.kpi}>
              <td>{LABEL[t.kpi]}</td>
              <td>
                <span className={BADGE[t.status]}>{t.status}</span>
              </td>
              <td>{t.detail}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
