import { memo, useEffect, useState } from "react";
import { ExprInput } from "./ExprInput";
import { fromFieldText, toFieldText, type FieldKind } from "./fieldValues";

/** One labelled property: its input by kind, its description, and a one-line error when the text is not valid. */
export const Field = memo(function Field({ name, label, kind, value, options, required, description, disabled, onChange }: {
  name: string;
  label: string;
  kind: FieldKind;
  value: unknown;
  options?: string[] | null;
  required?: boolean;
  description?: string;
  disabled?: boolean;
  onChange: (name: string, value: unknown) => void;
}) {
  const text = toFieldText(value);
  const [error, setError] = useState<string | null>(null);
  const [yamlText, setYamlText] = useState(text);
  useEffect(() => setYamlText(text), [text]);
  const testid = `field-${name}`;
  const commit = (t: string) => {
    try {
      onChange(name, fromFieldText(t, kind));
      setError(null);
    } catch (e) {
      setError(`${label}: ${(e instanceof Error ? e.message : String(e)).split("\n")[0]}`);
    }
  };
  let input;
  const isExpr = text.includes("${");
  if (kind === "enum" && !isExpr) {
    input = (
      <select value={text} disabled={disabled} data-testid={testid} onChange={e => commit(e.target.value)}>
        {!required || text === "" ? <option value="">(default)</option> : null}
        {(options ?? []).map(o => <option key={o} value={o}>{o}</option>)}
      </select>
    );
  } else if (kind === "boolean" && !isExpr) {
    input = (
      <select value={text} disabled={disabled} data-testid={testid} onChange={e => commit(e.target.value)}>
        <option value="">(default)</option>
        <option value="true">true</option>
        <option value="false">false</option>
      </select>
    );
  } else if (kind === "yaml" && !isExpr) {
    input = (
      <textarea className="yaml-field" rows={Math.min(8, Math.max(2, yamlText.split("\n").length))} value={yamlText} disabled={disabled} data-testid={testid} spellCheck={false}
        onChange={e => { setYamlText(e.target.value); commit(e.target.value); }} />
    );
  } else {
    input = <ExprInput value={text} disabled={disabled ?? false} testid={testid} onChange={commit} placeholder={kind === "number" ? "number or ${ expression }" : ""} />;
  }
  return (
    <label className={`field ${required ? "required" : ""}`}>
      <span className="field-label">{label}{required ? " *" : ""}</span>
      {input}
      {description ? <span className="field-desc">{description}</span> : null}
      {error ? <span className="field-error" data-testid={`${testid}-error`}>{error}</span> : null}
    </label>
  );
});
