import type { PreflightPlan } from "./runTypes";

const size = (n: number | null) => (n === null ? "?" : n >= 1 << 30 ? `${(n / 2 ** 30).toFixed(1)} GiB` : `${(n / 2 ** 20).toFixed(1)} MiB`);

/** The preflight's plan: what the start would do and every reason it would fail. */
export function PlanView({ plan }: { plan: PreflightPlan }) {
  const ok = plan.problems.length === 0;
  return (
    <section className={`plan ${ok ? "plan-ok" : "plan-fail"}`} data-testid="plan">
      <h3 data-testid="plan-verdict">{ok ? "The run can go" : `The run would fail (${plan.problems.length} problem${plan.problems.length === 1 ? "" : "s"})`}</h3>
      <dl>
        <dt>Workflow</dt><dd>{plan.workflow} v{plan.version}</dd>
        <dt>Host / VM</dt><dd>{plan.host ?? "?"} / {plan.vm ?? "?"}</dd>
        <dt>QEMU</dt><dd>{plan.qemuVersion ?? "?"} ({plan.runState ?? "?"})</dd>
        <dt>Quiesce</dt><dd>{plan.quiesce ?? "—"}{plan.guestAgentAnswers !== null && ` (guest agent ${plan.guestAgentAnswers ? "answers" : "does not answer"})`}</dd>
        {plan.lockHolder && (<><dt>Lock</dt><dd>held by {plan.lockHolder}</dd></>)}
      </dl>
      {plan.disks.length > 0 && (
        <table data-testid="plan-disks">
          <thead><tr><th>disk</th><th>now</th><th>size</th><th>→ target</th><th>root</th><th>free</th></tr></thead>
          <tbody>
            {plan.disks.map(d => (
              <tr key={d.device}>
                <td>{d.device}</td>
                <td>{d.currentFile ?? "?"} ({d.format ?? "?"})</td>
                <td>{size(d.virtualSize)}</td>
                <td>{d.target} ({d.targetFormat ?? d.format ?? "?"}){d.targetExists ? " exists" : ""}</td>
                <td>{d.storageRoot ?? "outside the roots"}</td>
                <td>{size(d.freeBytes)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {!ok && <ul className="problems" data-testid="plan-problems">{plan.problems.map(p => <li key={p}>{p}</li>)}</ul>}
    </section>
  );
}
