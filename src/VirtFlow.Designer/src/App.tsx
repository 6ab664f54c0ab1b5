import { lazy, Suspense, useEffect } from "react";
import { AuthProvider, useAuth } from "./app/auth";
import { loadMonaco } from "./editor/monacoLazy";
import { useRoute } from "./app/router";
import { SignIn } from "./pages/SignIn";
import { WorkflowsPage } from "./pages/WorkflowsPage";
import { runRoute } from "./run";
import { Layout } from "./shared/Layout";

// The editor (graph, Monaco) is its own chunk, so the shell stays small (143 KiB gzip) and the first page comes at once;
// once signed in, the browser fetches and compiles it while idle, so opening a workflow does not wait for it.
// Once fetched, the page is used as it is: React.lazy suspends on its first render even when the chunk is already
// here, and React 19 then holds the fallback for its throttle (300 ms of nothing before the fetch of the workflow starts).
type EditorPage = typeof import("./pages/WorkflowEditorPage").default;
let loadedEditor: EditorPage | null = null;
const loadEditor = () => import("./pages/WorkflowEditorPage").then(m => {
  loadedEditor = m.default;
  return m;
});
const LazyEditorPage = lazy(loadEditor);

declare global {
  interface Window {
    /** Set when the editor's chunks (its page and Monaco) have been fetched ahead (the benchmark waits for it). */
    __vfEditorLoaded?: boolean;
  }
}

function usePrefetchEditor(signedIn: boolean) {
  useEffect(() => {
    if (!signedIn) return;
    // The editor's page, then Monaco's own chunk (the YAML pane's editor, made after the graph when a workflow opens).
    const load = () => void loadEditor().then(loadMonaco).then(() => { window.__vfEditorLoaded = true; }, () => undefined);
    if (typeof window.requestIdleCallback === "function") {
      const id = window.requestIdleCallback(load, { timeout: 3000 });
      return () => window.cancelIdleCallback(id);
    }
    const id = window.setTimeout(load, 500);
    return () => window.clearTimeout(id);
  }, [signedIn]);
}

function Routes() {
  const { me } = useAuth();
  const { parts } = useRoute();
  usePrefetchEditor(me !== null);
  if (!me) return <SignIn />;
  const section = parts[0] ?? "workflows";
  const run = runRoute(parts);
  let page;
  if (run !== null) page = run;
  else if (section === "workflows" && parts[1]) {
    const WorkflowEditorPage = loadedEditor ?? LazyEditorPage;
    page = <WorkflowEditorPage key={parts[1]} name={parts[1]} />;
  }
  else page = <WorkflowsPage />;
  return (
    <Layout section={section}>
      <Suspense fallback={<p>Loading…</p>}>{page}</Suspense>
    </Layout>
  );
}

export function App() {
  return (
    <AuthProvider>
      <Routes />
    </AuthProvider>
  );
}
