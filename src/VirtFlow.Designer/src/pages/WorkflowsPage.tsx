import { useEffect, useState } from "react";
import { vf } from "../api/endpoints";
import type { WorkflowSummary } from "../api/types";
import { IfRole } from "../app/auth";
import { href, navigate } from "../app/router";
import { ErrorLine } from "../shared/ErrorLine";

/** The catalog: every workflow with its published version and draft; admins create new ones. */
export function WorkflowsPage() {
  const [items, setItems] = useState<WorkflowSummary[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [newName, setNewName] = useState("");

  useEffect(() => {
    vf.workflows().then(setItems, setError);
  }, []);

  return (
    <section className="workflows">
      <div className="toolbar">
        <h2>Workflows</h2>
        <IfRole role="admin">
          <form
            className="inline"
            onSubmit={e => {
              e.preventDefault();
              if (/^[a-z0-9][a-z0-9-]*$/i.test(newName)) navigate(`/workflows/${encodeURIComponent(newName)}?new=1`);
            }}
          >
            <input value={newName} onChange={e => setNewName(e.target.value)} placeholder="new-workflow-name" data-testid="new-workflow-name" />
            <button type="submit" disabled={!/^[a-z0-9][a-z0-9-]*$/i.test(newName)} data-testid="new-workflow">New workflow</button>
          </form>
        </IfRole>
      </div>
      <ErrorLine error={error} />
      {items === null && !error ? <p>Loading…</p> : null}
      {items !== null ? (
        <table className="list" data-testid="workflow-list">
          <thead>
            <tr><th>Name</th><th>Published</th><th>Draft</th><th>Versions</th></tr>
          </thead>
          <tbody>
            {items.map(w => (
              <tr key={w.name} data-testid={`workflow-row-${w.name}`}>
                <td><a href={href(`/workflows/${encodeURIComponent(w.name)}`)}>{w.name}</a></td>
                <td>{w.publishedVersion ?? "—"}</td>
                <td>{w.draft ? `by ${w.draft.savedBy}, ${new Date(w.draft.savedAt).toLocaleString()}` : "—"}</td>
                <td>{w.versions.length}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
