import { useEffect, useState } from "react";
import { IfRole } from "../app/auth";
import { navigate } from "../app/router";
import { vf } from "../api/endpoints";
import type { WorkflowInputInfo } from "../api/types";
import { ErrorLine } from "../shared/ErrorLine";
import { emptyRow, initialValues, tableColumns, toInputs, type Column } from "./inputValues";
import { PlanView } from "./PlanView";
import { runApi } from "./runApi";
import type { PreflightPlan } from "./runTypes";

/** The start form of a workflow's published version, generated from its inputs, with a dry run that shows the preflight plan. */
export function StartForm({ workflow }: { workflow: string }) {
  const [inputs, setInputs] = useState<WorkflowInputInfo[] | null>(null);
  const [values, setValues] = useState<Record<string, unknown>>({});
  const [plan, setPlan] = useState<PreflightPlan | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    vf.workflow(workflow)
      .then(async ({ doc }) => {
        // A draft may be open in the editor: the start runs the published version, so the form follows its inputs.
        const published = doc.kind === "draft" && doc.publishedVersion ? await vf.version(workflow, doc.publishedVersion) : doc;
        const list = published.inputs ?? [];
        setInputs(list);
        setValues(initialValues(list));
      })
      .catch(setError);
  }, [workflow]);

  function collect(): Record<string, unknown> | null {
    const { inputs: collected, problems } = toInputs(inputs ?? [], values);
    if (problems.length > 0) {
      setError(new Error(problems.join("; ")));
      return null;
    }
    setError(null);
    return collected;
  }

  async function dryRun() {
    const collected = collect();
    if (!collected) return;
    setBusy(true);
    try {
      setPlan(await runApi.dryRun(workflow, collected));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  async function start() {
    const collected = collect();
    if (!collected) return;
    setBusy(true);
    try {
      const { id } = await runApi.start(workflow, collected);
      navigate(`/instances/${encodeURIComponent(id)}`);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  }

  if (!inputs) return error ? <ErrorLine error={error} /> : <p>Loading…</p>;
  const set = (name: string, value: unknown) => setValues(v => ({ ...v, [name]: value }));
  return (
    <section className="start-form" data-testid="start-form">
      <h2>Start {workflow}</h2>
      <form onSubmit={e => e.preventDefault()}>
        {inputs.map(input => (
          <div key={input.name} className="field" data-testid={`input-${input.name}`}>
            <label htmlFor={`in-${input.name}`}>
              {input.name}
              {input.required && <span className="required" title="required"> *</span>}
              <span className="type"> {input.type}</span>
            </label>
            <InputField input={input} value={values[input.name]} onChange={v => set(input.name, v)} />
            {input.description && <div className="hint">{input.description}</div>}
          </div>
        ))}
        <ErrorLine error={error} testid="start-error" />
        <IfRole role="operator">
          <div className="actions">
            <button type="button" onClick={dryRun} disabled={busy} data-testid="dry-run">Dry run</button>
            <button type="button" onClick={start} disabled={busy} className="primary" data-testid="start">Start</button>
          </div>
        </IfRole>
      </form>
      {plan && <PlanView plan={plan} />}
    </section>
  );
}

function InputField({ input, value, onChange }: { input: WorkflowInputInfo; value: unknown; onChange: (v: unknown) => void }) {
  const id = `in-${input.name}`;
  const columns = tableColumns(input);
  if (columns) return <TableInput name={input.name} columns={columns} rows={(value as Record<string, string>[]) ?? []} onChange={onChange} />;
  if (input.enum)
    return (
      <select id={id} value={String(value ?? "")} onChange={e => onChange(e.target.value)}>
        {(!input.required || value === "") && <option value="">—</option>}
        {input.enum.map(o => <option key={o} value={o}>{o}</option>)}
      </select>
    );
  if (input.type === "boolean") return <input id={id} type="checkbox" checked={value === true} onChange={e => onChange(e.target.checked)} />;
  if (input.type === "array" || input.type === "object")
    return <textarea id={id} rows={3} value={String(value ?? "")} placeholder={input.type === "array" ? "[ ... ] (JSON)" : "{ ... } (JSON)"} onChange={e => onChange(e.target.value)} />;
  return (
    <input id={id} type={input.type === "number" || input.type === "integer" ? "number" : "text"} value={String(value ?? "")}
      placeholder={input.type === "duration" ? "e.g. 30m, 1h" : ""} required={input.required} onChange={e => onChange(e.target.value)} />
  );
}

/** An array of objects as an editable table: a row per item, a column per property. */
function TableInput({ name, columns, rows, onChange }: { name: string; columns: Column[]; rows: Record<string, string>[]; onChange: (rows: Record<string, string>[]) => void }) {
  const update = (i: number, column: string, text: string) => onChange(rows.map((r, j) => (j === i ? { ...r, [column]: text } : r)));
  return (
    <div className="table-input">
      <table data-testid={`table-${name}`}>
        <thead>
          <tr>
            {columns.map(c => <th key={c.name} title={c.description ?? ""}>{c.name}{c.required && " *"}</th>)}
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={i}>
              {columns.map(c => (
                <td key={c.name}>
                  {c.enum ? (
                    <select value={row[c.name] ?? ""} onChange={e => update(i, c.name, e.target.value)} data-testid={`${name}-${i}-${c.name}`}>
                      {!c.required && <option value="">—</option>}
                      {c.enum.map(o => <option key={o} value={o}>{o}</option>)}
                    </select>
                  ) : (
                    <input value={row[c.name] ?? ""} onChange={e => update(i, c.name, e.target.value)} data-testid={`${name}-${i}-${c.name}`} />
                  )}
                </td>
              ))}
              <td><button type="button" onClick={() => onChange(rows.filter((_, j) => j !== i))} title="remove this row">✕</button></td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" onClick={() => onChange([...rows, emptyRow(columns)])} data-testid={`${name}-add`}>Add row</button>
    </div>
  );
}
