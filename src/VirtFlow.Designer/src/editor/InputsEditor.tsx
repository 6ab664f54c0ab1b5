import { memo, useState } from "react";
import { Field } from "./Field";

type Json = Record<string, unknown>;
const types = ["string", "integer", "number", "boolean", "duration", "array", "object", "any"];

/** A declared input as written: the shorthand (`vm: string`) or the mapping. */
function spec(raw: unknown): Json {
  if (typeof raw === "string") return { type: raw };
  return raw && typeof raw === "object" ? (raw as Json) : {};
}

/**
 * The workflow's inputs (`inputs:`): name, type, required, default, enum, description, item schema. Each change
 * edits only that input's lines; a shorthand input (`vm: string`) becomes a mapping when it gets a second property.
 */
export const InputsEditor = memo(function InputsEditor({ inputs, disabled, onSet, onAdd, onRemove }: {
  inputs: Json;
  disabled: boolean;
  onSet: (name: string, field: string, value: unknown) => void;
  onAdd: (name: string) => void;
  onRemove: (name: string) => void;
}) {
  const [newName, setNewName] = useState("");
  const valid = /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(newName) && !(newName in inputs);
  return (
    <div className="inputs-editor" data-testid="inputs-editor">
      {Object.entries(inputs).map(([name, raw]) => {
        const s = spec(raw);
        const set = (field: string, value: unknown) => onSet(name, field, value);
        return (
          <fieldset key={name} className="input-card" disabled={disabled} data-testid={`input-${name}`}>
            <legend>
              <span className="mono">{name}</span>
              {!disabled ? <button type="button" className="link danger" onClick={() => onRemove(name)} data-testid={`input-remove-${name}`}>remove</button> : null}
            </legend>
            <Field name={`input.${name}.type`} label="type" kind="enum" options={types} value={s.type} onChange={(_, v) => set("type", v)} />
            <Field name={`input.${name}.required`} label="required" kind="boolean" value={s.required} onChange={(_, v) => set("required", v)} />
            <Field name={`input.${name}.default`} label="default" kind={s.type === "array" || s.type === "object" ? "yaml" : s.type === "integer" || s.type === "number" ? "number" : s.type === "boolean" ? "boolean" : "text"}
              value={s.default} onChange={(_, v) => set("default", v)} />
            <Field name={`input.${name}.enum`} label="enum" kind="yaml" value={s.enum} description="[a, b, c]" onChange={(_, v) => set("enum", v)} />
            <Field name={`input.${name}.description`} label="description" kind="text" value={s.description} onChange={(_, v) => set("description", v)} />
            {s.type === "array" ? <Field name={`input.${name}.items`} label="items (schema)" kind="yaml" value={s.items} onChange={(_, v) => set("items", v)} /> : null}
          </fieldset>
        );
      })}
      {!disabled ? (
        <form className="inline" onSubmit={e => { e.preventDefault(); if (valid) { onAdd(newName); setNewName(""); } }}>
          <input value={newName} placeholder="new input name" onChange={e => setNewName(e.target.value)} data-testid="input-new-name" />
          <button type="submit" disabled={!valid} data-testid="input-add">Add input</button>
        </form>
      ) : null}
    </div>
  );
});
