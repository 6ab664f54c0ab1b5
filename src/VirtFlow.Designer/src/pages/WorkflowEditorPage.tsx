import { useEffect, useState } from "react";
import { vf } from "../api/endpoints";
import type { WorkflowDocument } from "../api/types";
import { ErrorLine } from "../shared/ErrorLine";

/** Opens a workflow for editing (reading it never changes it). The editor lands in src/editor/. */
export default function WorkflowEditorPage({ name }: { name: string }) {
  const [doc, setDoc] = useState<WorkflowDocument | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    vf.workflow(name).then(r => setDoc(r.doc), setError);
  }, [name]);
  return (
    <section>
      <h2>{name}</h2>
      <ErrorLine error={error} />
      {doc ? <pre data-testid="yaml-text">{doc.yaml}</pre> : null}
    </section>
  );
}
