/// <reference types="vite/client" />
declare module "elkjs/lib/elk-worker.min.js?url" {
  const url: string;
  export default url;
}
declare module "monaco-editor/internal/common/workers" {
  /** monaco's own by-label worker factory (used by its JSON/CSS/HTML/TS language workers). */
  export function createWebWorker(opts: { moduleId: string; label?: string; createData?: unknown; host?: unknown; keepIdleModels?: boolean }): unknown;
}
