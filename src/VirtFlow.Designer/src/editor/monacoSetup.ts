// Monaco bundled from npm (no CDN): the editor API, its editor features, YAML highlighting, and monaco-yaml's
// language service running in a worker, fed the workflow JSON Schema from /api/schema.
import * as monaco from "monaco-editor/editor/editor.api";
import "monaco-editor/features/register.all";
import "monaco-editor/languages/definitions/yaml/register";
import { loader } from "@monaco-editor/react";
import { createWebWorker as createLanguageWorker } from "monaco-editor/internal/common/workers";
import { configureMonacoYaml, type MonacoYaml, type MonacoYamlOptions } from "monaco-yaml";
import EditorWorker from "monaco-editor/editor/editor.worker?worker";
import YamlWorker from "monaco-yaml/yaml.worker?worker";

declare global {
  interface Window {
    MonacoEnvironment?: { getWorker(workerId: string, label: string): Worker };
  }
}

window.MonacoEnvironment = {
  getWorker(_workerId: string, label: string): Worker {
    return label === "yaml" ? new YamlWorker() : new EditorWorker();
  },
};

loader.config({ monaco });

// monaco-yaml (through monaco-worker-manager 2) asks monaco.editor.createWebWorker for a worker by label, moduleId and
// createData. Since monaco-editor 0.54 that function takes a ready worker; the by-label form lives in monaco's
// internal workers module (it asks MonacoEnvironment.getWorker, then sends the create data). Route such calls there.
const createWorkerOf = monaco.editor.createWebWorker;
(monaco.editor as unknown as { createWebWorker: (opts: Record<string, unknown>) => unknown }).createWebWorker = opts =>
  opts.worker ? createWorkerOf(opts as never) : createLanguageWorker(opts as never);

let yaml: MonacoYaml | null = null;

/** The URI every workflow model matches, so the schema applies to each editor. */
export const workflowModelGlob = "**/*.vf.yaml";

/** Gives monaco-yaml the workflow schema (once; later calls update it). */
export function useWorkflowSchema(schema: Record<string, unknown>): void {
  const options: MonacoYamlOptions = {
    enableSchemaRequest: false,
    hover: true,
    completion: true,
    validate: true,
    schemas: [{ uri: "virtflow://schema/workflow.schema.json", fileMatch: [workflowModelGlob], schema: schema as never }],
  };
  if (yaml) yaml.update(options);
  else yaml = configureMonacoYaml(monaco, options);
}

export { monaco };
