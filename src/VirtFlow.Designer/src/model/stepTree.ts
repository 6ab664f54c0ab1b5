import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type YAMLMap, type YAMLSeq } from "yaml";
import type { YamlPath } from "./yamlEdit";

/** The control-flow step types, whose children are laid out inside them. */
export const groupTypes = ["sequence", "parallel", "forEach", "if", "switch", "while", "try"] as const;
export type GroupType = (typeof groupTypes)[number];
export const isGroupType = (type: string): type is GroupType => (groupTypes as readonly string[]).includes(type);

/** One child list of a step: `steps`, `then`, `else`, `catch`, `finally`, `default`, `cases.N`, `branches.N`. */
export interface Slot {
  slot: string;
  /** Where the list is (or would be written) in the YAML. */
  path: YamlPath;
  steps: Step[];
}

/** A step of the workflow as the editor sees it, with where it is written. */
export interface Step {
  /** The step's id: written, or derived as the engine derives it (step-2, move.steps.1); a repeated id gets `~2`, `~3`. */
  id: string;
  explicitId: boolean;
  type: string;
  name: string | null;
  /** The YAML path of the step's mapping (e.g. ["steps", 0, "steps", 2]). */
  path: YamlPath;
  /** The list it is in and its index there. */
  listPath: YamlPath;
  index: number;
  /** First and last line (1-based) of its text. */
  line: number;
  column: number;
  endLine: number;
  children: Slot[];
}

export interface ParsedWorkflow {
  text: string;
  steps: Step[];
  /** Syntax errors of the YAML itself (the server's validation says the rest). */
  yamlErrors: { message: string; line: number; column: number }[];
  name: string | null;
  /** Every step by id. */
  byId: Map<string, Step>;
  /**
   * The document as plain data (for the forms), made from the same parse when first asked and kept; null when the
   * YAML has syntax errors or is not a mapping.
   */
  json(): Record<string, unknown> | null;
}

function str(node: unknown): string | null {
  return isScalar(node) && node.value !== null && node.value !== undefined ? String(node.value) : null;
}

/** The child slots a step of this type has (also the empty ones, so a group can take a first child). */
function slotsOf(type: string, map: YAMLMap): { slot: string; key: YamlPath }[] {
  switch (type) {
    case "parallel": {
      const branches = map.get("branches", true);
      const n = isSeq(branches) ? branches.items.length : 0;
      return Array.from({ length: n }, (_, i) => {
        const b = isSeq(branches) ? branches.items[i] : null;
        return { slot: `branches.${i + 1}`, key: isMap(b) ? ["branches", i, "steps"] : ["branches", i] };
      });
    }
    case "if":
      return [{ slot: "then", key: ["then"] }, { slot: "else", key: ["else"] }];
    case "switch": {
      const cases = map.get("cases", true);
      const n = isSeq(cases) ? cases.items.length : 0;
      return [...Array.from({ length: n }, (_, i) => ({ slot: `cases.${i + 1}`, key: ["cases", i, "steps"] as YamlPath })), { slot: "default", key: ["default"] }];
    }
    case "try":
      return [{ slot: "steps", key: ["steps"] }, { slot: "catch", key: ["catch"] }, { slot: "finally", key: ["finally"] }];
    case "sequence":
    case "forEach":
    case "while":
      return [{ slot: "steps", key: ["steps"] }];
    default:
      return [];
  }
}

/**
 * Reads a workflow's YAML into its step tree, keeping each step's path and lines, with ids derived as the engine
 * derives them (src/VirtFlow.Engine/Definitions/Parsing/StepIds.cs). Tolerates a text with errors: what can be read is.
 */
export function parseWorkflow(text: string): ParsedWorkflow {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false });
  const byId = new Map<string, Step>();
  const pos = (offset: number) => lines.linePos(offset);

  function readList(seqNode: unknown, listPath: YamlPath, parentId: string | null, slot: string): Step[] {
    if (!isSeq(seqNode)) return [];
    const out: Step[] = [];
    (seqNode as YAMLSeq).items.forEach((item, i) => {
      if (!isMap(item)) return;
      const map = item as YAMLMap;
      const type = str(map.get("type", true)) ?? "?";
      const written = str(map.get("id", true));
      const explicitId = written !== null && /^[A-Za-z_][A-Za-z0-9_-]*$/.test(written);
      const derived = explicitId ? written! : parentId === null ? `step-${i + 1}` : `${parentId}.${slot}.${i + 1}`;
      // An id written twice (an error the server's validation names) still gets its own node: `mirror~2`.
      let id = derived;
      for (let n = 2; byId.has(id); n++) id = `${derived}~${n}`;
      const range = (map as Node).range ?? [0, 0, 0];
      const start = pos(range[0]);
      let endOffset = range[1];
      while (endOffset > range[0] && /\s/.test(text[endOffset - 1] ?? "")) endOffset--;
      const path = [...listPath, i];
      const step: Step = {
        id, explicitId, type, name: str(map.get("name", true)), path, listPath, index: i,
        line: start.line, column: start.col, endLine: pos(Math.max(range[0], endOffset - 1)).line, children: [],
      };
      byId.set(id, step);
      step.children = slotsOf(type, map).map(s => {
        const childPath = [...path, ...s.key];
        return { slot: s.slot, path: childPath, steps: readList(doc.getIn(childPath, true), childPath, id, s.slot) };
      });
      out.push(step);
    });
    return out;
  }

  const steps = readList(doc.get("steps", true), ["steps"], null, "steps");
  let data: Record<string, unknown> | null | undefined;
  return {
    text,
    steps,
    byId,
    json() {
      if (data !== undefined) return data;
      try {
        const v: unknown = doc.errors.length > 0 ? null : doc.toJS();
        data = v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
      } catch {
        data = null;
      }
      return data;
    },
    name: str(doc.get("name", true)),
    yamlErrors: doc.errors.map(e => ({ message: e.message.split("\n")[0] ?? e.message, line: e.linePos?.[0].line ?? 1, column: e.linePos?.[0].col ?? 1 })),
  };
}

/** Every step, parents before children, in file order. */
export function flatten(steps: Step[]): Step[] {
  const out: Step[] = [];
  const walk = (list: Step[]) => {
    for (const s of list) {
      out.push(s);
      for (const c of s.children) walk(c.steps);
    }
  };
  walk(steps);
  return out;
}

/** The innermost step whose text holds `line` (for a diagnostic's line), or null. */
export function stepAtLine(steps: Step[], line: number): Step | null {
  for (const s of steps) {
    if (line >= s.line && line <= s.endLine) {
      for (const c of s.children) {
        const inner = stepAtLine(c.steps, line);
        if (inner) return inner;
      }
      return s;
    }
  }
  return null;
}
