import type { OnMount } from "@monaco-editor/react";
import { memo, useEffect, useRef, useState } from "react";
import type { Diagnostic } from "../api/types";
import { minimalEdit } from "./minimalEdit";
import { useMonacoParts } from "./monacoLazy";

type Editor = Parameters<OnMount>[0];

/**
 * Monaco with monaco-yaml (schema completion, hover and checks from /api/schema's JSON Schema), synced both ways with
 * the workflow text: a change made elsewhere (graph, form, undo) is applied as the smallest edit, so the cursor and
 * Monaco's own history stay; the server's diagnostics are markers at their line and column.
 */
export const YamlEditor = memo(function YamlEditor({ name, value, onChange, diagnostics, schema, readOnly, revealLine, after = true }: {
  /**
   * Monaco is made once this is true and the browser is idle: the editor passes "the graph is laid out", so opening a
   * large workflow draws its graph first and the editor (~250 ms to make for 500 steps) a moment later.
   */
  after?: boolean;
  name: string;
  value: string;
  onChange: (text: string) => void;
  diagnostics: Diagnostic[];
  schema: Record<string, unknown> | null;
  readOnly: boolean;
  revealLine: number | null;
}) {
  const editorRef = useRef<Editor | null>(null);
  // Wanted once `after` holds and the browser is idle; shown once Monaco's chunk is here.
  const [mounted, setMounted] = useState(false);
  const parts = useMonacoParts(mounted);
  const partsRef = useRef(parts);
  partsRef.current = parts;
  useEffect(() => {
    if (!after || mounted) return;
    if (typeof window.requestIdleCallback === "function") {
      const id = window.requestIdleCallback(() => setMounted(true), { timeout: 300 });
      return () => window.cancelIdleCallback(id);
    }
    const id = window.setTimeout(() => setMounted(true), 0);
    return () => window.clearTimeout(id);
  }, [after, mounted]);

  // monaco-yaml's set-up (~120 ms) comes with the editor, after the graph.
  useEffect(() => {
    if (parts && schema) parts.useWorkflowSchema(schema);
  }, [parts, schema]);
  const applying = useRef(false);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;


  // Text changed outside the editor: apply the difference.
  useEffect(() => {
    const editor = editorRef.current;
    const model = editor?.getModel();
    const monaco = partsRef.current?.monaco;
    if (!editor || !model || !monaco) return;
    const current = model.getValue();
    const edit = minimalEdit(current, value);
    if (!edit) return;
    const from = model.getPositionAt(edit.start);
    const to = model.getPositionAt(edit.end);
    applying.current = true;
    editor.executeEdits("virtflow", [{ range: new monaco.Range(from.lineNumber, from.column, to.lineNumber, to.column), text: edit.text, forceMoveMarkers: true }]);
    editor.pushUndoStop();
    applying.current = false;
  }, [value]);

  const diagnosticsRef = useRef(diagnostics);
  diagnosticsRef.current = diagnostics;
  const showMarkers = () => {
    const model = editorRef.current?.getModel();
    const monaco = partsRef.current?.monaco;
    if (!model || !monaco) return;
    monaco.editor.setModelMarkers(model, "virtflow", diagnosticsRef.current.map(d => {
      const line = Math.min(Math.max(1, d.line), model.getLineCount());
      return {
        startLineNumber: line, startColumn: Math.max(1, d.column), endLineNumber: line, endColumn: model.getLineMaxColumn(line),
        message: d.message, severity: d.severity === "error" ? monaco.MarkerSeverity.Error : monaco.MarkerSeverity.Warning, source: "virtflow validate",
      };
    }));
  };
  useEffect(showMarkers, [diagnostics]);

  useEffect(() => {
    if (revealLine && editorRef.current) {
      editorRef.current.revealLineInCenter(revealLine);
      editorRef.current.setPosition({ lineNumber: revealLine, column: 1 });
    }
  }, [revealLine]);

  useEffect(() => {
    editorRef.current?.updateOptions({ readOnly });
  }, [readOnly]);

  return (
    <div className="yaml-editor" data-testid="yaml-editor" data-ready={parts && mounted ? "true" : "false"}>
      {parts && mounted ? <parts.Editor
        path={`file:///workflows/${encodeURIComponent(name)}.vf.yaml`}
        defaultLanguage="yaml"
        defaultValue={value}
        options={{ minimap: { enabled: false }, fontSize: 12.5, scrollBeyondLastLine: false, readOnly, tabSize: 2, automaticLayout: true, quickSuggestions: { other: true, strings: true } }}
        onMount={editor => {
          editorRef.current = editor;
          const model = editor.getModel();
          if (model && model.getValue() !== value) model.setValue(value);
          editor.onDidChangeModelContent(() => {
            if (!applying.current) onChangeRef.current(editor.getValue());
          });
          showMarkers(); // diagnostics that came before the editor was made
          (window as unknown as { __vfYamlEditor?: Editor }).__vfYamlEditor = editor;
        }}
      /> : <pre className="yaml-placeholder" aria-busy="true">{value.length > 4000 ? value.slice(0, 4000) : value}</pre>}
    </div>
  );
});
