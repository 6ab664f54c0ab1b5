import type { WorkflowInputInfo } from "../api/types";

/** A column of a table input (an array of objects): its name and what its cells take. */
export interface Column {
  name: string;
  type: string;
  required: boolean;
  enum: string[] | null;
  default: unknown;
  description: string | null;
}

/** The columns of an array input whose items are objects with properties (e.g. copy-disks-pivot's disks), else null. */
export function tableColumns(input: WorkflowInputInfo): Column[] | null {
  const items = input.items;
  if (input.type !== "array" || !items || items.type !== "object" || typeof items.properties !== "object" || items.properties === null) return null;
  const required = Array.isArray(items.required) ? (items.required as string[]) : [];
  return Object.entries(items.properties as Record<string, Record<string, unknown>>).map(([name, p]) => ({
    name,
    type: typeof p.type === "string" ? p.type : "string",
    required: required.includes(name),
    enum: Array.isArray(p.enum) ? (p.enum as string[]) : null,
    default: p.default,
    description: typeof p.description === "string" ? p.description : null,
  }));
}

/** The form's first values: each input's default (a table starts with one empty row). */
export function initialValues(inputs: WorkflowInputInfo[]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const input of inputs) {
    if (tableColumns(input)) values[input.name] = Array.isArray(input.default) ? input.default : [emptyRow(tableColumns(input)!)];
    else if (input.default !== undefined && input.default !== null) values[input.name] = input.type === "array" || input.type === "object" ? JSON.stringify(input.default) : input.default;
    else values[input.name] = input.type === "boolean" ? false : "";
  }
  return values;
}

export function emptyRow(columns: Column[]): Record<string, string> {
  return Object.fromEntries(columns.map(c => [c.name, c.default !== undefined && c.default !== null ? String(c.default) : ""]));
}

/** The start's inputs from the form's values, or the list of problems (one line each, naming the input). */
export function toInputs(inputs: WorkflowInputInfo[], values: Record<string, unknown>): { inputs: Record<string, unknown>; problems: string[] } {
  const result: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const input of inputs) {
    const value = values[input.name];
    const columns = tableColumns(input);
    if (columns) {
      const rows = ((value as Record<string, string>[]) ?? [])
        .filter(r => Object.values(r).some(v => v !== ""))
        .map(r => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== "").map(([k, v]) => [k, cell(columns.find(c => c.name === k), v)])));
      rows.forEach((r, i) => columns.filter(c => c.required && !(c.name in r)).forEach(c => problems.push(`inputs.${input.name}[${i}].${c.name} is required`)));
      if (rows.length > 0) result[input.name] = rows;
      else if (input.required) problems.push(`inputs.${input.name} needs at least one row`);
      continue;
    }
    if (value === "" || value === undefined || value === null) {
      if (input.required) problems.push(`inputs.${input.name} is required`);
      continue;
    }
    if (input.type === "number" || input.type === "integer") {
      const n = Number(value);
      if (!Number.isFinite(n) || (input.type === "integer" && !Number.isInteger(n))) problems.push(`inputs.${input.name} is not ${input.type === "integer" ? "an integer" : "a number"}`);
      else result[input.name] = n;
    } else if (input.type === "array" || input.type === "object") {
      try {
        result[input.name] = JSON.parse(String(value));
      } catch {
        problems.push(`inputs.${input.name} is not JSON`);
      }
    } else {
      result[input.name] = value;
    }
  }
  return { inputs: result, problems };
}

function cell(column: Column | undefined, text: string): unknown {
  if (column && (column.type === "number" || column.type === "integer") && text.trim() !== "" && Number.isFinite(Number(text))) return Number(text);
  if (column && column.type === "boolean") return text === "true";
  return text;
}
