import { useMonacoParts } from "./monacoLazy";
import type { Conflict } from "./useWorkflowEditor";

/**
 * A save refused because the server's copy changed since it was read (409/412): both versions side by side, and
 * nothing is written until the user picks one. "Save mine over theirs" saves with the ETag of the copy shown here.
 */
export function ConflictDialog({ conflict, onChoose, busy }: { conflict: Conflict; onChoose: (c: "overwrite" | "theirs" | "cancel") => void; busy: boolean }) {
  const monacoParts = useMonacoParts();
  return (
    <div className="modal-backdrop">
      <div className="modal wide" role="dialog" aria-modal="true" data-testid="conflict-dialog">
        <h3>Someone else saved this workflow</h3>
        <p className="error-line" data-testid="conflict-message">{conflict.message}</p>
        <div className="diff-labels"><span>Theirs: {conflict.theirsLabel}</span><span>Mine (not saved)</span></div>
        <div className="diff-box" data-testid="conflict-diff">
          {monacoParts ? <monacoParts.DiffEditor keepCurrentOriginalModel keepCurrentModifiedModel original={conflict.theirs} modified={conflict.mine} language="yaml" options={{ readOnly: true, renderSideBySide: true, minimap: { enabled: false }, automaticLayout: true }} /> : <p className="diff-loading">Loading the diff…</p>}
        </div>
        <div className="modal-actions">
          <button type="button" onClick={() => onChoose("cancel")} data-testid="conflict-keep-editing">Keep editing</button>
          <button type="button" onClick={() => onChoose("theirs")} data-testid="conflict-take-theirs">Take theirs (drop mine)</button>
          <button type="button" className="primary" disabled={busy} onClick={() => onChoose("overwrite")} data-testid="conflict-overwrite">Save mine over theirs</button>
        </div>
      </div>
    </div>
  );
}
