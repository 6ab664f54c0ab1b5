import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { ActivityInfo, Diagnostic, SchemaDocument } from "../api/types";
import { useAuth } from "../app/auth";
import { ConflictDialog } from "../editor/ConflictDialog";
import { HistoryPanel } from "../editor/HistoryPanel";
import { InputsEditor } from "../editor/InputsEditor";
import { newStep, newStepId } from "../editor/newStep";
import { Palette } from "../editor/Palette";
import { StepForm } from "../editor/StepForm";
import { loadSchema, useWorkflowEditor } from "../editor/useWorkflowEditor";
import { YamlEditor } from "../editor/YamlEditor";
import type { InsertAt } from "../graph/dnd";
import { prewarmElk } from "../graph/elkEngine";
import type { StepDecoration } from "../graph/nodes";
import { WorkflowGraph } from "../graph/WorkflowGraph";
import { flatten, parseWorkflow, stepAtLine, type Step } from "../model/stepTree";
import { deleteIn, insertItem, moveItem, removeItem, setIn, YamlEditError, type YamlPath } from "../model/yamlEdit";
import { ErrorLine } from "../shared/ErrorLine";

type Json = Record<string, unknown>;

function at(json: Json | null, path: YamlPath): unknown {
  let v: unknown = json;
  for (const k of path) v = v && typeof v === "object" ? (v as Record<string | number, unknown>)[k] : undefined;
  return v;
}

/** Problems per step (by the line they name), and the ones outside every step. */
function problemsByStep(steps: Step[], diagnostics: Diagnostic[]): { byStep: Map<string, Diagnostic[]>; rest: Diagnostic[] } {
  const byStep = new Map<string, Diagnostic[]>();
  const rest: Diagnostic[] = [];
  for (const d of diagnostics) {
    const s = stepAtLine(steps, d.line);
    if (!s) rest.push(d);
    else byStep.set(s.id, [...(byStep.get(s.id) ?? []), d]);
  }
  return { byStep, rest };
}

/**
 * The workflow editor: the palette, the graph, the step's properties or the workflow's inputs, and the YAML, all on
 * one text; validation as you type, undo/redo, autosave, save with the ETag, publish, history and diff, import/export.
 */
export default function WorkflowEditorPage({ name }: { name: string }) {
  const isNew = window.location.hash.includes("new=1");
  const { can } = useAuth();
  const canEdit = can("admin");
  const ed = useWorkflowEditor(name, isNew);
  const [schema, setSchema] = useState<SchemaDocument | null>(null);
  const [schemaError, setSchemaError] = useState<unknown>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [insertAt, setInsertAt] = useState<InsertAt | null>(null);
  const [tab, setTab] = useState<"step" | "inputs" | "problems">("step");
  const [showHistory, setShowHistory] = useState(false);
  const [viewing, setViewing] = useState<{ yaml: string; label: string } | null>(null);
  const [revealLine, setRevealLine] = useState<number | null>(null);
  const [editError, setEditError] = useState<unknown>(null);
  const [layoutMs, setLayoutMs] = useState<number | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    loadSchema().then(setSchema, setSchemaError);
    prewarmElk();
  }, []);

  const text = ed.text;
  const parsed = ed.parsed;
  // From the parse the graph already made (a second parse of a 500-step text cost ~100 ms when opening).
  const json = useMemo(() => (parsed ? (parsed.json() as Json | null) : null), [parsed]);
  const activities = useMemo(() => new Map<string, ActivityInfo>((schema?.activities ?? []).map(a => [a.type, a])), [schema]);
  const { byStep } = useMemo(() => problemsByStep(parsed?.steps ?? [], ed.diagnostics), [parsed, ed.diagnostics]);
  const decorations = useMemo(() => {
    const m = new Map<string, StepDecoration>();
    for (const [id, ds] of byStep) m.set(id, { errors: ds.map(d => `${d.line}:${d.column}: ${d.message}`) });
    return m;
  }, [byStep]);
  const selected = selectedId ? parsed?.byId.get(selectedId) ?? null : null;
  const errors = ed.diagnostics.filter(d => d.severity === "error").length;

  /** Applies an edit of the text; an edit the YAML cannot take is one line of error. */
  const apply = useCallback((fn: (t: string) => string, group: string | null = null) => {
    if (text === null) return false;
    try {
      ed.edit(fn(text), group);
      setEditError(null);
      return true;
    } catch (e) {
      setEditError(e instanceof YamlEditError ? e : new Error(e instanceof Error ? e.message : String(e)));
      return false;
    }
  }, [text, ed]);

  const listPathOf = useCallback((target: InsertAt): YamlPath | null => {
    if (target.parent === null) return ["steps"];
    const parent = parsed?.byId.get(target.parent);
    return parent?.children.find(c => c.slot === target.slot)?.path ?? null;
  }, [parsed]);

  const insertStep = useCallback((listPath: YamlPath, index: number, type: string) => {
    const used = new Set(flatten(parsed?.steps ?? []).map(s => s.id));
    const id = newStepId(type, used);
    if (apply(t => insertItem(t, listPath, index, newStep(type, id, activities.get(type))))) {
      setSelectedId(id);
      setTab("step");
    }
    setInsertAt(null);
  }, [parsed, activities, apply]);

  const onInsert = useCallback((target: InsertAt, type: string | null) => {
    if (type === null) {
      setInsertAt(target);
      return;
    }
    const listPath = listPathOf(target);
    if (listPath) insertStep(listPath, target.index, type);
  }, [listPathOf, insertStep]);

  const onPick = useCallback((type: string) => {
    if (insertAt) {
      const listPath = listPathOf(insertAt);
      if (listPath) insertStep(listPath, insertAt.index, type);
      return;
    }
    if (selected) insertStep(selected.listPath, selected.index + 1, type);
    else insertStep(["steps"], parsed?.steps.length ?? 0, type);
  }, [insertAt, listPathOf, insertStep, selected, parsed]);

  const targetLabel = insertAt
    ? `into ${insertAt.parent ?? "the workflow"} / ${insertAt.slot} at position ${insertAt.index + 1}`
    : selected ? `after ${selected.id}` : "at the end";

  const onSetField = useCallback((rel: (string | number)[], value: unknown) => {
    if (!selected) return;
    const path = [...selected.path, ...rel];
    const ok = apply(t => (value === undefined ? deleteIn(t, path) : setIn(t, path, value)), `${selected.id}.${rel.join(".")}`);
    if (ok && rel.length === 1 && rel[0] === "id" && typeof value === "string" && /^[A-Za-z_][A-Za-z0-9_-]*$/.test(value)) setSelectedId(value);
  }, [selected, apply]);

  const onDelete = useCallback(() => {
    if (!selected) return;
    apply(t => removeItem(t, selected.listPath, selected.index));
    setSelectedId(null);
  }, [selected, apply]);

  const onMove = useCallback((delta: number) => {
    if (!selected) return;
    const to = delta < 0 ? selected.index - 1 : selected.index + 2;
    if (to < 0) return;
    apply(t => moveItem(t, selected.listPath, selected.index, selected.listPath, to));
  }, [selected, apply]);

  const onAddSlot = useCallback((kind: "branch" | "case" | "catch" | "else") => {
    if (!selected) return;
    const sj = at(json, selected.path) as Json | undefined;
    if (kind === "branch") apply(t => insertItem(t, [...selected.path, "branches"], ((sj?.branches as unknown[]) ?? []).length, []));
    if (kind === "case") apply(t => insertItem(t, [...selected.path, "cases"], ((sj?.cases as unknown[]) ?? []).length, { value: "b", steps: [] }));
  }, [selected, json, apply]);

  const inputs = (json?.inputs ?? {}) as Json;
  const onSetInput = useCallback((input: string, field: string, value: unknown) => {
    const raw = inputs[input];
    apply(t => {
      if (typeof raw === "string" && field !== "type") return value === undefined ? t : setIn(t, ["inputs", input], { type: raw, [field]: value });
      if (typeof raw === "string" && field === "type") return setIn(t, ["inputs", input], value ?? "any");
      return value === undefined ? deleteIn(t, ["inputs", input, field]) : setIn(t, ["inputs", input, field], value);
    }, `input.${input}.${field}`);
  }, [inputs, apply]);

  // Keyboard: undo/redo/save outside Monaco (Monaco keeps its own undo inside it).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const inMonaco = (e.target as HTMLElement | null)?.closest?.(".monaco-editor");
      const mod = e.ctrlKey || e.metaKey;
      if (mod && e.key.toLowerCase() === "s") {
        e.preventDefault();
        if (canEdit) void ed.save();
        return;
      }
      if (inMonaco || !mod) return;
      const inField = (e.target as HTMLElement | null)?.matches?.("input, textarea");
      if (inField) return;
      if (e.key.toLowerCase() === "z" && !e.shiftKey) {
        e.preventDefault();
        ed.undo();
      } else if (e.key.toLowerCase() === "y" || (e.key.toLowerCase() === "z" && e.shiftKey)) {
        e.preventDefault();
        ed.redo();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [ed, canEdit]);

  const exportYaml = () => {
    if (text === null) return;
    const url = URL.createObjectURL(new Blob([text], { type: "application/yaml" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = `${name}.yaml`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  const importYaml = async (file: File) => {
    const t = await file.text();
    ed.edit(t, null);
    ed.setNotice(`Imported ${file.name}: not saved yet.`);
  };

  const viewingParsed = useMemo(() => (viewing ? parseWorkflow(viewing.yaml) : null), [viewing]);

  if (ed.loadError) return <ErrorLine error={ed.loadError} testid="editor-load-error" />;
  if (text === null || !parsed) return <p>Loading {name}…</p>;

  return (
    <div className="editor" data-testid="workflow-editor">
      <div className="editor-toolbar toolbar">
        <h2 data-testid="editor-name">{name}</h2>
        <span className="muted" data-testid="editor-base">{ed.baseline?.label}</span>
        <span className={`state ${ed.dirty ? "dirty" : "clean"}`} data-testid="editor-dirty">{ed.dirty ? "unsaved changes" : "saved"}</span>
        {ed.autosavedAt && ed.dirty ? <span className="muted" data-testid="autosaved">kept locally {new Date(ed.autosavedAt).toLocaleTimeString()}</span> : null}
        <span className={`validity ${errors ? "invalid" : "valid"}`} data-testid="validation-status" onClick={() => setTab("problems")}>
          {ed.validating ? "checking…" : errors ? `${errors} error(s)` : "valid"}
        </span>
        <span className="spacer" />
        <button type="button" onClick={ed.undo} disabled={!ed.canUndo} data-testid="undo">Undo</button>
        <button type="button" onClick={ed.redo} disabled={!ed.canRedo} data-testid="redo">Redo</button>
        {canEdit ? (
          <>
            <button type="button" onClick={() => void ed.save()} disabled={ed.busy !== null || !ed.dirty} data-testid="save-button">{ed.busy === "saving" ? "Saving…" : "Save draft"}</button>
            <button type="button" className="primary" onClick={() => void ed.publish()} disabled={ed.busy !== null} data-testid="publish-button">{ed.busy === "publishing" ? "Publishing…" : "Publish"}</button>
            <button type="button" onClick={() => fileInput.current?.click()} data-testid="import-button">Import</button>
            <input ref={fileInput} type="file" accept=".yaml,.yml,text/yaml" hidden data-testid="import-input" onChange={e => { const f = e.target.files?.[0]; if (f) void importYaml(f); e.target.value = ""; }} />
          </>
        ) : null}
        <button type="button" onClick={exportYaml} data-testid="export-button">Export</button>
        {ed.doc ? <button type="button" onClick={() => setShowHistory(true)} data-testid="history-button">History</button> : null}
      </div>
      {ed.restored ? (
        <div className="banner" data-testid="restored-banner">
          Restored your unsaved edit from {new Date(ed.restored.savedAt).toLocaleString()}, based on {ed.restored.baseLabel}
          {ed.restored.baseETag ? ` (ETag ${ed.restored.baseETag})` : ""}{ed.doc && ed.restored.baseETag !== ed.doc.eTag ? "; the server's copy has changed since: saving will show both" : ""}.
          <button type="button" className="link" onClick={ed.discardLocal} data-testid="discard-local">Discard it</button>
        </div>
      ) : null}
      {ed.notice ? <div className="notice" data-testid="editor-notice">{ed.notice}<button type="button" className="link" onClick={() => ed.setNotice(null)}>×</button></div> : null}
      <ErrorLine error={ed.actionError} testid="editor-error" />
      <ErrorLine error={editError} testid="edit-error" />
      <ErrorLine error={schemaError} testid="schema-error" />
      <ErrorLine error={ed.validateError} testid="validate-error" />
      {viewing ? (
        <div className="banner" data-testid="viewing-banner">
          Viewing {viewing.label} (read-only).
          <button type="button" className="link" onClick={() => setViewing(null)} data-testid="viewing-close">Back to the edit</button>
          {canEdit ? <button type="button" className="link" onClick={() => { ed.edit(viewing.yaml, null); setViewing(null); }} data-testid="viewing-restore">Load it into the editor</button> : null}
        </div>
      ) : null}
      <div className="editor-body">
        <Palette activities={schema?.activities ?? []} disabled={!canEdit || viewing !== null} onPick={onPick} target={targetLabel} />
        <div className="editor-center">
          <div className="graph-pane">
            <WorkflowGraph
              steps={viewingParsed?.steps ?? parsed.steps}
              decorations={viewing ? undefined : decorations}
              selectedId={selectedId}
              onSelect={id => { setSelectedId(id); if (id) { setTab("step"); setRevealLine(parsed.byId.get(id)?.line ?? null); } }}
              {...(canEdit && !viewing ? { onInsert } : {})}
              onLayout={ms => setLayoutMs(ms)}
            />
            {layoutMs !== null ? <span className="layout-ms" data-testid="layout-ms">layout {layoutMs.toFixed(0)} ms</span> : null}
          </div>
          <div className="yaml-pane">
            {viewing ? (
              <YamlEditor name={`${name}.view`} value={viewing.yaml} onChange={() => undefined} diagnostics={[]} schema={schema?.schema ?? null} readOnly revealLine={null} />
            ) : (
              <YamlEditor after={layoutMs !== null} name={name} value={text} onChange={t => ed.edit(t, "monaco")} diagnostics={ed.diagnostics} schema={schema?.schema ?? null} readOnly={!canEdit} revealLine={revealLine} />
            )}
          </div>
        </div>
        <aside className="side">
          <div className="tabs">
            <button type="button" className={tab === "step" ? "active" : ""} onClick={() => setTab("step")} data-testid="tab-step">Step</button>
            <button type="button" className={tab === "inputs" ? "active" : ""} onClick={() => setTab("inputs")} data-testid="tab-inputs">Inputs</button>
            <button type="button" className={tab === "problems" ? "active" : ""} onClick={() => setTab("problems")} data-testid="tab-problems">Problems ({ed.diagnostics.length})</button>
          </div>
          {tab === "step" ? (
            selected && json ? (
              <StepForm key={selected.id} step={selected} json={(at(json, selected.path) ?? {}) as Json} activity={activities.get(selected.type)} problems={byStep.get(selected.id) ?? []}
                disabled={!canEdit || viewing !== null} onSet={onSetField} onDelete={onDelete} onMove={onMove} onAddSlot={onAddSlot} />
            ) : <p className="muted">Select a step in the graph, or drag one in from the palette.</p>
          ) : null}
          {tab === "inputs" ? (
            <InputsEditor inputs={inputs} disabled={!canEdit || viewing !== null} onSet={onSetInput}
              onAdd={n => apply(t => setIn(t, ["inputs", n], { type: "string" }))} onRemove={n => apply(t => deleteIn(t, ["inputs", n]))} />
          ) : null}
          {tab === "problems" ? (
            <ul className="problems" data-testid="problem-list">
              {parsed.yamlErrors.map((e, i) => <li key={`y${i}`} className="error">{e.line}:{e.column}: {e.message}</li>)}
              {ed.diagnostics.map((d, i) => (
                <li key={i} className={d.severity} data-testid="problem-item" onClick={() => { const s = stepAtLine(parsed.steps, d.line); setSelectedId(s?.id ?? null); setRevealLine(d.line); }}>
                  {d.line}:{d.column}: {d.message}
                </li>
              ))}
              {ed.diagnostics.length === 0 && parsed.yamlErrors.length === 0 ? <li className="muted">No problems.</li> : null}
            </ul>
          ) : null}
        </aside>
      </div>
      {ed.conflict ? <ConflictDialog conflict={ed.conflict} busy={ed.busy !== null} onChoose={c => void ed.resolveConflict(c)} /> : null}
      {showHistory && ed.doc ? <HistoryPanel name={name} doc={ed.doc} onClose={() => setShowHistory(false)} onOpenVersion={(yaml, label) => { setViewing({ yaml, label }); setShowHistory(false); }} /> : null}
    </div>
  );
}
