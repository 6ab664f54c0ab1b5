// Everything of Monaco the designer uses, in one chunk loaded when first needed (monacoLazy.ts): monacoSetup first, so
// @monaco-editor/react's loader is given the bundled Monaco before any editor is made (never a CDN).
export { monaco, useWorkflowSchema } from "./monacoSetup";
export { default as Editor, DiffEditor } from "@monaco-editor/react";
