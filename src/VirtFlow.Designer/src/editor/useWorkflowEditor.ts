import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from "react";
import { vf } from "../api/endpoints";
import { ApiError } from "../api/problem";
import type { Diagnostic, SchemaDocument, WorkflowDocument } from "../api/types";
import { parseWorkflow, type ParsedWorkflow } from "../model/stepTree";
import { AUTOSAVE_INTERVAL_MS, autosave, type LocalDraft } from "./autosave";
import { TextHistory } from "./history";

/** What the editor's text is compared with: the server copy it was read from or last saved as. */
export interface Baseline {
  text: string;
  /** null: the workflow is not on the server yet (the save creates it with If-None-Match: *). */
  etag: string | null;
  label: string;
}

export interface Conflict {
  mine: string;
  theirs: string;
  theirsETag: string | null;
  theirsLabel: string;
  message: string;
}

let schemaPromise: Promise<SchemaDocument> | null = null;
/** The workflow schema and activity catalog, read once per page. */
export function loadSchema(): Promise<SchemaDocument> {
  schemaPromise ??= vf.schema().catch(e => {
    schemaPromise = null;
    throw e;
  });
  return schemaPromise;
}

function newWorkflowText(name: string): string {
  return `name: ${name}\nversion: 1\ndescription: \ninputs:\n  vm:\n    type: string\n    required: true\nsteps: []\n`;
}

function labelOf(doc: WorkflowDocument): string {
  return doc.kind === "draft" ? `draft (from v${doc.draft?.baseVersion ?? doc.publishedVersion ?? 0})` : `published v${doc.version ?? doc.publishedVersion}`;
}

/**
 * The state of one open workflow: its text (the single source of truth; the graph and forms are read from it),
 * undo/redo, validation as you type, the local autosave, and save/publish with the ETag.
 * Opening a workflow only reads it.
 */
export function useWorkflowEditor(name: string, isNew: boolean) {
  const [doc, setDoc] = useState<WorkflowDocument | null>(null);
  const [baseline, setBaseline] = useState<Baseline | null>(null);
  const [text, setText] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [restored, setRestored] = useState<LocalDraft | null>(null);
  const [diagnostics, setDiagnostics] = useState<Diagnostic[]>([]);
  const [validating, setValidating] = useState(false);
  const [validateError, setValidateError] = useState<unknown>(null);
  const [busy, setBusy] = useState<"saving" | "publishing" | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [autosavedAt, setAutosavedAt] = useState<string | null>(null);
  const [, setTick] = useState(0);
  const history = useRef(new TextHistory());
  const textRef = useRef<string | null>(null);
  textRef.current = text;
  const baselineRef = useRef<Baseline | null>(null);
  baselineRef.current = baseline;

  // Open: read the workflow (never written here), then a local unsaved copy if there is one.
  const load = useCallback(async () => {
    setLoadError(null);
    try {
      let base: Baseline;
      try {
        const { doc: d, etag } = await vf.workflow(name);
        setDoc(d);
        base = { text: d.yaml, etag, label: labelOf(d) };
      } catch (e) {
        if (!(isNew && e instanceof ApiError && e.status === 404)) throw e;
        setDoc(null);
        base = { text: newWorkflowText(name), etag: null, label: "new" };
      }
      setBaseline(base);
      const local = autosave.read(name);
      history.current.clear();
      if (local && local.text !== base.text) {
        setText(local.text);
        setRestored(local);
        // The save that follows sends the ETag the edit was based on: if the server moved on, that is a conflict.
        setBaseline({ text: local.baseText, etag: local.baseETag, label: local.baseLabel });
      } else {
        if (local) autosave.clear(name);
        setText(base.text);
        setRestored(null);
      }
    } catch (e) {
      setLoadError(e);
    }
  }, [name, isNew]);

  useEffect(() => {
    void load();
  }, [load]);

  /** Replaces the text (an edit from the graph, a form, the YAML editor, an import). */
  const edit = useCallback((next: string, group: string | null = null) => {
    const current = textRef.current;
    if (current === null || next === current) return;
    history.current.record(current, group);
    textRef.current = next;
    setText(next);
  }, []);

  const undo = useCallback(() => {
    const current = textRef.current;
    if (current === null) return;
    const previous = history.current.undo(current);
    if (previous !== null) {
      textRef.current = previous;
      setText(previous);
    }
  }, []);

  const redo = useCallback(() => {
    const current = textRef.current;
    if (current === null) return;
    const next = history.current.redo(current);
    if (next !== null) {
      textRef.current = next;
      setText(next);
    }
  }, []);

  // Parsing follows the text without holding up typing.
  const deferred = useDeferredValue(text);
  const parsed: ParsedWorkflow | null = useMemo(() => (deferred === null ? null : parseWorkflow(deferred)), [deferred]);

  // Validation as you type: the server's own check (/api/validate), 400 ms after the last change.
  useEffect(() => {
    if (text === null) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      setValidating(true);
      vf.validate(text, `${name}.yaml`, controller.signal)
        .then(v => {
          setDiagnostics(v.diagnostics);
          setValidateError(null);
        })
        .catch(e => {
          if (!(e instanceof DOMException && e.name === "AbortError")) setValidateError(e);
        })
        .finally(() => {
          if (!controller.signal.aborted) setValidating(false);
        });
    }, 400);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [text, name]);

  // Autosave: every second when the text changed, and when the page goes away.
  const lastSaved = useRef<string | null>(null);
  useEffect(() => {
    const write = () => {
      const t = textRef.current;
      const b = baselineRef.current;
      if (t === null || b === null || t === lastSaved.current) return;
      if (t === b.text) {
        autosave.clear(name);
      } else {
        const at = new Date().toISOString();
        autosave.write({ name, text: t, baseETag: b.etag, baseLabel: b.label, baseText: b.text, savedAt: at });
        setAutosavedAt(at);
      }
      lastSaved.current = t;
    };
    const timer = setInterval(write, AUTOSAVE_INTERVAL_MS);
    window.addEventListener("pagehide", write);
    window.addEventListener("beforeunload", write);
    return () => {
      clearInterval(timer);
      window.removeEventListener("pagehide", write);
      window.removeEventListener("beforeunload", write);
      write();
    };
  }, [name]);

  const dirty = text !== null && baseline !== null && text !== baseline.text;

  async function showConflict(e: ApiError, mine: string): Promise<void> {
    let theirs = "";
    let theirsETag: string | null = null;
    let theirsLabel = "not on the server";
    try {
      const { doc: d, etag } = await vf.workflow(name);
      theirs = d.yaml;
      theirsETag = etag;
      theirsLabel = `${labelOf(d)}${d.draft ? `, saved by ${d.draft.savedBy} at ${new Date(d.draft.savedAt).toLocaleString()}` : ""}`;
    } catch {
      /* the dialog still shows mine and says theirs could not be read */
    }
    setConflict({ mine, theirs, theirsETag, theirsLabel, message: e.message });
  }

  /** Saves the draft with If-Match (or If-None-Match: * when new). A stale ETag opens the conflict dialog. */
  const save = useCallback(async (overrideETag?: string | null): Promise<boolean> => {
    const t = textRef.current;
    const b = baselineRef.current;
    if (t === null || b === null) return false;
    setBusy("saving");
    setActionError(null);
    try {
      const saved = await vf.saveDraft(name, t, overrideETag === undefined ? b.etag : overrideETag);
      setBaseline({ text: t, etag: saved.eTag, label: `draft saved by ${saved.savedBy}` });
      baselineRef.current = { text: t, etag: saved.eTag, label: "draft" };
      autosave.clear(name);
      lastSaved.current = t;
      setRestored(null);
      setConflict(null);
      setNotice(saved.valid ? "Draft saved." : `Draft saved with ${saved.diagnostics.filter(d => d.severity === "error").length} error(s).`);
      vf.workflow(name).then(r => setDoc(r.doc), () => undefined);
      return true;
    } catch (e) {
      if (e instanceof ApiError && (e.status === 409 || e.status === 412)) await showConflict(e, t);
      else setActionError(e);
      return false;
    } finally {
      setBusy(null);
    }
  }, [name]);

  /** Publishes the draft (saving the edit first); a draft with errors gets 422 and its diagnostics. */
  const publish = useCallback(async () => {
    if (textRef.current !== baselineRef.current?.text || !doc?.draft) {
      if (!(await save())) return;
    }
    setBusy("publishing");
    setActionError(null);
    try {
      const published = await vf.publish(name, baselineRef.current?.etag ?? undefined);
      setNotice(`Published version ${published.version}.`);
      const { doc: d, etag } = await vf.workflow(name);
      setDoc(d);
      setBaseline({ text: d.yaml, etag, label: labelOf(d) });
    } catch (e) {
      if (e instanceof ApiError && e.problem && Array.isArray(e.problem.diagnostics)) setDiagnostics(e.problem.diagnostics as Diagnostic[]);
      setActionError(e);
    } finally {
      setBusy(null);
    }
  }, [name, doc, save]);

  /** The conflict dialog's choices. */
  const resolveConflict = useCallback(async (choice: "overwrite" | "theirs" | "cancel") => {
    const c = conflict;
    if (!c) return;
    if (choice === "cancel") {
      setConflict(null);
      return;
    }
    if (choice === "theirs") {
      setBaseline({ text: c.theirs, etag: c.theirsETag, label: c.theirsLabel });
      edit(c.theirs, null);
      autosave.clear(name);
      setConflict(null);
      return;
    }
    // Overwrite: a deliberate save over the version the user has now seen.
    await save(c.theirsETag);
  }, [conflict, edit, name, save]);

  const discardLocal = useCallback(() => {
    autosave.clear(name);
    lastSaved.current = null;
    setRestored(null);
    void load();
  }, [name, load]);

  return {
    doc, text, parsed, baseline, dirty, loadError, restored, diagnostics, validating, validateError, busy, actionError, notice, conflict, autosavedAt,
    canUndo: history.current.canUndo, canRedo: history.current.canRedo,
    edit, undo, redo, save, publish, resolveConflict, discardLocal, reload: load,
    setNotice, setActionError, refreshTick: () => setTick(t => t + 1),
  };
}

export type WorkflowEditorState = ReturnType<typeof useWorkflowEditor>;
