import { useMonacoParts } from "./monacoLazy";
import { useEffect, useState } from "react";
import { vf } from "../api/endpoints";
import type { WorkflowDiff, WorkflowDocument } from "../api/types";
import { ErrorLine } from "../shared/ErrorLine";

async function textOf(name: string, which: string): Promise<string> {
  if (which === "draft") return (await vf.workflow(name)).doc.yaml;
  return (await vf.version(name, Number(which))).yaml;
}

/**
 * The versions of a workflow (who published each, when, from which file) and a diff of any two (or the draft): the
 * YAML side by side and the step-level summary of /api/workflows/{name}/diff.
 */
export function HistoryPanel({ name, doc, onClose, onOpenVersion }: { name: string; doc: WorkflowDocument; onClose: () => void; onOpenVersion: (yaml: string, label: string) => void }) {
  const monacoParts = useMonacoParts();
  const choices = [...doc.versions.map(v => String(v.version)), ...(doc.draft ? ["draft"] : [])];
  const [from, setFrom] = useState(choices.length > 1 ? choices[choices.length - 2]! : choices[0] ?? "1");
  const [to, setTo] = useState(choices[choices.length - 1] ?? "1");
  const [diff, setDiff] = useState<WorkflowDiff | null>(null);
  const [texts, setTexts] = useState<[string, string] | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let cancelled = false;
    setError(null);
    Promise.all([vf.diff(name, from, to), textOf(name, from), textOf(name, to)])
      .then(([d, a, b]) => {
        if (cancelled) return;
        setDiff(d);
        setTexts([a, b]);
      })
      .catch(e => !cancelled && setError(e));
    return () => {
      cancelled = true;
    };
  }, [name, from, to]);

  return (
    <div className="modal-backdrop">
      <div className="modal wide" role="dialog" data-testid="history-panel">
        <div className="toolbar">
          <h3>History of {name}</h3>
          <button type="button" onClick={onClose} data-testid="history-close">Close</button>
        </div>
        <table className="list" data-testid="version-list">
          <thead><tr><th>Version</th><th>Published by</th><th>At</th><th>Source</th><th /></tr></thead>
          <tbody>
            {doc.versions.map(v => (
              <tr key={v.version} data-testid={`version-row-${v.version}`}>
                <td>v{v.version}{v.version === doc.publishedVersion ? " (published)" : ""}</td>
                <td>{v.publishedBy}</td>
                <td>{new Date(v.publishedAt).toLocaleString()}</td>
                <td className="mono">{v.source ?? "—"}</td>
                <td><button type="button" className="link" data-testid={`version-open-${v.version}`} onClick={() => textOf(name, String(v.version)).then(t => onOpenVersion(t, `v${v.version}`), setError)}>view</button></td>
              </tr>
            ))}
            {doc.draft ? <tr><td>draft</td><td>{doc.draft.savedBy}</td><td>{new Date(doc.draft.savedAt).toLocaleString()}</td><td>from v{doc.draft.baseVersion}</td><td /></tr> : null}
          </tbody>
        </table>
        <div className="toolbar">
          Diff from
          <select value={from} onChange={e => setFrom(e.target.value)} data-testid="diff-from">{choices.map(c => <option key={c} value={c}>{c === "draft" ? "draft" : `v${c}`}</option>)}</select>
          to
          <select value={to} onChange={e => setTo(e.target.value)} data-testid="diff-to">{choices.map(c => <option key={c} value={c}>{c === "draft" ? "draft" : `v${c}`}</option>)}</select>
        </div>
        <ErrorLine error={error} />
        {diff ? (
          <div className="diff-summary" data-testid="diff-summary">
            {diff.steps ? (
              <>
                <span className="added">added: {diff.steps.added.join(", ") || "none"}</span>
                <span className="removed">removed: {diff.steps.removed.join(", ") || "none"}</span>
                <span className="changed">changed: {diff.steps.changed.join(", ") || "none"}</span>
              </>
            ) : <span>one side has errors: no step summary</span>}
          </div>
        ) : null}
        {texts ? (
          <div className="diff-box" data-testid="diff-yaml">
            {monacoParts ? <monacoParts.DiffEditor keepCurrentOriginalModel keepCurrentModifiedModel original={texts[0]} modified={texts[1]} language="yaml" options={{ readOnly: true, renderSideBySide: true, minimap: { enabled: false }, automaticLayout: true }} /> : <p className="diff-loading">Loading the diff…</p>}
          </div>
        ) : null}
      </div>
    </div>
  );
}
