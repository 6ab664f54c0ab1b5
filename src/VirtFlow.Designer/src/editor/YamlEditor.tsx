import Editor, { type OnMount } from "@monaco-editor/react";
import { memo, useEffect, useRef } from "react";
import type { Diagnostic } from "../api/types";
import { monaco, useWorkflowSchema } from "./monacoSetup";

type Editor = Parameters<OnMount>[0];

/** The smallest edit turning `a` into `b`: the range of `a` that differs and its replacement. */
export function minimalEdit(a: string, b: string): { start: number; end: number; text: string } | null {
  if (a === b) return null;
  let start = 0;
  const max = Math.min(a.length, b.length);
  while (start < max && a.charCodeAt(start) === b.charCodeAt(start)) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a.charCodeAt(endA - 1) === b.charCodeAt(endB - 1)) {
    endA--;
    endB--;
  }
  return { start, end: endA, text: b.slice(start, endB) };
}

/**
 * Monaco with monaco-yaml (schema completion, hover and checks from /api/schema's JSON Schema), synced both ways with
 * the workflow text: a change made elsewhere (graph, form, undo) is applied as the smallest edit, so the cursor and
 * Monaco's own history stay; the server's diagnostics are markers at their line and column.
 */
export const YamlEditor = memo(function YamlEditor({ name, value, onChange, diagnostics, schema, readOnly, revealLine }: {
  name: string;
  value: string;
  onChange: (text: string) => void;
  diagnostics: Diagnostic[];
  schema: Record<string, unknown> | null;
  readOnly: boolean;
  revealLine: number | null;
}) {
  const editorRef = useRef<Editor | null>(null);
  const applying = useRef(false);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;

  useEffect(() => {
    if (schema) useWorkflowSchema(schema);
  }, [schema]);

  // Text changed outside the editor: apply the difference.
  useEffect(() => {
    const editor = editorRef.current;
    const model = editor?.getModel();
    if (!editor || !model) return;
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

  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (!model) return;
    monaco.editor.setModelMarkers(model, "virtflow", diagnostics.map(d => {
      const line = Math.min(Math.max(1, d.line), model.getLineCount());
      return {
        startLineNumber: line, startColumn: Math.max(1, d.column), endLineNumber: line, endColumn: model.getLineMaxColumn(line),
        message: d.message, severity: d.severity === "error" ? monaco.MarkerSeverity.Error : monaco.MarkerSeverity.Warning, source: "virtflow validate",
      };
    }));
  }, [diagnostics]);

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
    <div className="yaml-editor" data-testid="yaml-editor">
      <Editor
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
          (window as unknown as { __vfYamlEditor?: Editor }).__vfYamlEditor = editor;
        }}
      />
    </div>
  );
});
