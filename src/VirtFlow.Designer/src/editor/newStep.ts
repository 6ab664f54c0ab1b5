import type { ActivityInfo } from "../api/types";
import { isGroupType } from "../model/stepTree";

/** An id for a new step of `type` not yet used in the file: mirror, mirror2, ... (letters of the type, camel-cased). */
export function newStepId(type: string, used: ReadonlySet<string>): string {
  const base = type.split(/[^A-Za-z0-9]+/).filter(Boolean).map((p, i) => (i ? p[0]!.toUpperCase() + p.slice(1) : p)).join("") || "step";
  const start = /^[A-Za-z_]/.test(base) ? base : "s" + base;
  if (!used.has(start)) return start;
  for (let i = 2; ; i++) if (!used.has(`${start}${i}`)) return `${start}${i}`;
}

/** The YAML data of a new step: its id, type, and the inputs it needs (defaults where the catalog has one). */
export function newStep(type: string, id: string, activity: ActivityInfo | undefined): Record<string, unknown> {
  if (isGroupType(type)) {
    switch (type) {
      case "parallel":
        return { id, type, branches: [[], []] };
      case "forEach":
        return { id, type, items: "${ inputs.items }", steps: [] };
      case "if":
        return { id, type, condition: "${ true }", then: [] };
      case "switch":
        return { id, type, value: "${ inputs.mode }", cases: [{ value: "a", steps: [] }], default: [] };
      case "while":
        return { id, type, condition: "${ false }", steps: [] };
      case "try":
        return { id, type, steps: [], finally: [] };
      default:
        return { id, type, steps: [] };
    }
  }
  const withValues: Record<string, unknown> = {};
  for (const input of activity?.inputs ?? []) {
    if (!input.required) continue;
    withValues[input.name] = input.default ?? (input.enum?.[0] ?? "");
  }
  return Object.keys(withValues).length ? { id, type, with: withValues } : { id, type };
}
