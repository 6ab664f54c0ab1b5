import { memo, useCallback } from "react";
import type { ActivityInfo, Diagnostic } from "../api/types";
import type { Step } from "../model/stepTree";
import { Field } from "./Field";
import { kindOf } from "./fieldValues";

type Json = Record<string, unknown>;

const groupFields: Record<string, { name: string; kind: "text" | "number"; required?: boolean; description: string }[]> = {
  forEach: [
    { name: "items", kind: "text", required: true, description: "The list: ${ inputs.disks }" },
    { name: "as", kind: "text", description: "The item's name in expressions (default item)." },
    { name: "maxParallelism", kind: "number", description: "How many items run at once (default 1)." },
  ],
  if: [{ name: "condition", kind: "text", required: true, description: "A JavaScript expression; 'then' runs when it is truthy." }],
  while: [
    { name: "condition", kind: "text", required: true, description: "Repeats while this is truthy." },
    { name: "maxIterations", kind: "number", description: "At most this many rounds (default 1000)." },
  ],
  switch: [{ name: "value", kind: "text", required: true, description: "Compared with each case's value." }],
};

/**
 * The properties of the selected step, generated from its activity's input schema (the catalog of /api/schema): each
 * input a field by type (text with `${ }` highlighted, number, boolean, enum, YAML for lists and objects), the common
 * settings, and the step's own problems from validation.
 */
export const StepForm = memo(function StepForm({ step, json, activity, problems, disabled, onSet, onDelete, onMove, onAddSlot }: {
  step: Step;
  json: Json;
  activity: ActivityInfo | undefined;
  problems: Diagnostic[];
  disabled: boolean;
  onSet: (rel: (string | number)[], value: unknown) => void;
  onDelete: () => void;
  onMove: (delta: number) => void;
  onAddSlot: (kind: "branch" | "case" | "catch" | "else") => void;
}) {
  const withValues = (json.with ?? {}) as Json;
  const retry = (json.retry ?? {}) as Json;
  const set = useCallback((name: string, value: unknown) => onSet(name.split("."), value), [onSet]);
  const extra = Object.keys(withValues).filter(k => !activity?.inputs.some(i => i.name === k));
  return (
    <div className="step-form" data-testid="step-form">
      <div className="form-head">
        <b>{step.type}</b> <span className="mono">{step.id}</span>
        {activity ? <p className="muted">{activity.description}</p> : null}
      </div>
      {problems.length ? (
        <ul className="problems" data-testid="step-problems">
          {problems.map((d, i) => <li key={i} className={d.severity}>{d.line}:{d.column}: {d.message}</li>)}
        </ul>
      ) : null}
      <fieldset disabled={disabled}>
        <Field name="id" label="id" kind="text" value={json.id} description={step.explicitId ? "" : `derived: ${step.id}`} onChange={set} />
        <Field name="name" label="name" kind="text" value={json.name} onChange={set} />
        {(groupFields[step.type] ?? []).map(f => (
          <Field key={f.name} name={f.name} label={f.name} kind={f.kind} value={json[f.name]} required={f.required ?? false} description={f.description} onChange={set} />
        ))}
        {activity ? (
          <div className="with-fields">
            <div className="form-section">with</div>
            {activity.inputs.map(i => (
              <Field key={i.name} name={`with.${i.name}`} label={i.name} kind={kindOf(i.type, !!i.enum?.length)} value={withValues[i.name]} options={i.enum}
                required={i.required} description={`${i.type}${i.default !== undefined && i.default !== null ? ` (default ${JSON.stringify(i.default)})` : ""}: ${i.description}`} onChange={set} />
            ))}
            {extra.map(k => <Field key={k} name={`with.${k}`} label={k} kind="yaml" value={withValues[k]} description="not in the catalog" onChange={set} />)}
          </div>
        ) : null}
        <div className="form-section">settings</div>
        <Field name="if" label="if" kind="text" value={json.if} description="Runs the step only when this is truthy." onChange={set} />
        <Field name="timeout" label="timeout" kind="text" value={json.timeout} description="e.g. 30s, 5m, 1h" onChange={set} />
        <Field name="continueOnError" label="continueOnError" kind="boolean" value={json.continueOnError} onChange={set} />
        <Field name="retry.maxAttempts" label="retry.maxAttempts" kind="number" value={retry.maxAttempts} onChange={set} />
        <Field name="retry.delay" label="retry.delay" kind="text" value={retry.delay} onChange={set} />
      </fieldset>
      {!disabled ? (
        <div className="form-actions">
          <button type="button" onClick={() => onMove(-1)} data-testid="step-move-up">Move up</button>
          <button type="button" onClick={() => onMove(1)} data-testid="step-move-down">Move down</button>
          {step.type === "parallel" ? <button type="button" onClick={() => onAddSlot("branch")} data-testid="step-add-branch">Add branch</button> : null}
          {step.type === "switch" ? <button type="button" onClick={() => onAddSlot("case")} data-testid="step-add-case">Add case</button> : null}
          <button type="button" className="danger" onClick={onDelete} data-testid="step-delete">Delete step</button>
        </div>
      ) : null}
    </div>
  );
});
