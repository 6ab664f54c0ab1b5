import { lazy, Suspense } from "react";
import { AuthProvider, useAuth } from "./app/auth";
import { useRoute } from "./app/router";
import { SignIn } from "./pages/SignIn";
import { WorkflowsPage } from "./pages/WorkflowsPage";
import { runRoute } from "./run";
import { Layout } from "./shared/Layout";

// The editor (graph, Monaco) is loaded when a workflow is opened, so the shell stays small.
const WorkflowEditorPage = lazy(() => import("./pages/WorkflowEditorPage"));

function Routes() {
  const { me } = useAuth();
  const { parts } = useRoute();
  if (!me) return <SignIn />;
  const section = parts[0] ?? "workflows";
  const run = runRoute(parts);
  let page;
  if (run !== null) page = run;
  else if (section === "workflows" && parts[1]) page = <WorkflowEditorPage key={parts[1]} name={parts[1]} />;
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
