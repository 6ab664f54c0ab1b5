import { useEffect, useState } from "react";
import { IfRole } from "../app/auth";
import { href, navigate } from "../app/router";
import { vf } from "../api/endpoints";
import { ErrorLine } from "../shared/ErrorLine";
import { runApi, type InstanceFilter } from "./runApi";
import type { InstancePage } from "./runTypes";

const PAGE = 25;
const statuses = ["", "running", "suspended", "completed", "faulted", "cancelled"];

/** Instances filtered and paged by the server (status, workflow, VM, host, time; keyset cursor). */
export function InstanceList() {
  const [draft, setDraft] = useState<InstanceFilter>({});
  const [filter, setFilter] = useState<InstanceFilter>({});
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [page, setPage] = useState<InstancePage | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [workflows, setWorkflows] = useState<string[]>([]);
  const [startName, setStartName] = useState("");

  const cursor = cursors[cursors.length - 1] ?? null;
  useEffect(() => {
    setError(null);
    runApi.list(filter, PAGE, cursor).then(setPage).catch(setError);
  }, [filter, cursor]);
  useEffect(() => {
    vf.workflows().then(list => setWorkflows(list.filter(w => w.publishedVersion !== null).map(w => w.name))).catch(() => setWorkflows([]));
  }, []);

  const field = (name: keyof InstanceFilter, label: string, type = "text") => (
    <label>
      {label}
      <input type={type} value={draft[name] ?? ""} onChange={e => setDraft(d => ({ ...d, [name]: e.target.value || undefined }))} data-testid={`filter-${name}`} />
    </label>
  );
  // datetime-local gives local time without an offset: send it as an instant.
  const toIso = (v?: string) => (v ? new Date(v).toISOString() : undefined);
  return (
    <section className="instance-list" data-testid="instances-page">
      <h2>Instances</h2>
      <IfRole role="operator">
        <div className="start-line">
          <select value={startName} onChange={e => setStartName(e.target.value)} data-testid="start-workflow">
            <option value="">Start a workflow…</option>
            {workflows.map(w => <option key={w} value={w}>{w}</option>)}
          </select>
          <button type="button" disabled={!startName} onClick={() => navigate(`/start/${encodeURIComponent(startName)}`)} data-testid="open-start">Start…</button>
        </div>
      </IfRole>
      <form className="filters" onSubmit={e => { e.preventDefault(); setCursors([null]); setFilter({ ...draft, since: toIso(draft.since), until: toIso(draft.until) }); }}>
        <label>
          status
          <select value={draft.status ?? ""} onChange={e => setDraft(d => ({ ...d, status: e.target.value || undefined }))} data-testid="filter-status">
            {statuses.map(s => <option key={s} value={s}>{s || "any"}</option>)}
          </select>
        </label>
        {field("workflow", "workflow")}
        {field("vm", "VM")}
        {field("host", "host")}
        {field("since", "since", "datetime-local")}
        {field("until", "until", "datetime-local")}
        <button type="submit" data-testid="filter-apply">Filter</button>
      </form>
      <ErrorLine error={error} />
      <table className="grid" data-testid="instance-table">
        <thead><tr><th>id</th><th>workflow</th><th>status</th><th>VM</th><th>host</th><th>created</th><th>fault</th></tr></thead>
        <tbody>
          {page?.items.map(i => (
            <tr key={i.id} data-testid="instance-row">
              <td><a href={href(`/instances/${encodeURIComponent(i.id)}`)}>{i.id.slice(0, 12)}</a></td>
              <td>{i.workflow} v{i.version ?? "?"}</td>
              <td><span className={`status status-${i.status}`}>{i.status}</span></td>
              <td>{i.vm ?? ""}</td>
              <td>{i.host ?? ""}</td>
              <td>{new Date(i.createdAt).toLocaleString()}</td>
              <td className="fault">{i.fault ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {page && page.items.length === 0 && <p data-testid="no-instances">No instance matches.</p>}
      <div className="pager">
        <button type="button" disabled={cursors.length < 2} onClick={() => setCursors(c => c.slice(0, -1))} data-testid="page-prev">Newer</button>
        <span>page {cursors.length}</span>
        <button type="button" disabled={!page?.nextCursor} onClick={() => setCursors(c => [...c, page!.nextCursor])} data-testid="page-next">Older</button>
      </div>
    </section>
  );
}
