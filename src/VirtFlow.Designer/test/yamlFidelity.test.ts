import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isMap, isScalar, parse, parseDocument } from "yaml";
import { flatten, parseWorkflow } from "../src/model/stepTree";
import { deleteIn, getIn, insertItem, moveItem, removeItem, setIn } from "../src/model/yamlEdit";
import { changedLines, shippedWorkflows } from "./shipped";

const shipped = shippedWorkflows();
const lineOf = (text: string, offset: number) => text.slice(0, offset).split("\n").length;
const lastChar = (text: string, end: number) => {
  let i = end - 1;
  while (i > 0 && /\s/.test(text[i] ?? "")) i--;
  return i;
};
const comments = (text: string) => text.split("\n").filter(l => l.trim().startsWith("#")).map(l => l.trim());

describe("YAML fidelity on the shipped workflows", () => {
  it("finds the shipped workflows", () => {
    expect(shipped.map(s => s.file)).toContain("copy-disks-pivot.yaml");
    expect(shipped.length).toBeGreaterThanOrEqual(5);
  });

  for (const { file, text } of shipped) {
    describe(file, () => {
      const tree = parseWorkflow(text);
      const steps = flatten(tree.steps);

      it("reads every step", () => {
        expect(tree.yamlErrors).toEqual([]);
        expect(steps.length).toBeGreaterThan(0);
      });

      it("changes only the property's own line when one step property is edited", () => {
        let edits = 0;
        for (const step of steps) {
          const node = parseDocument(text).getIn([...step.path, "with"], true);
          if (!isMap(node)) continue;
          for (const pair of node.items) {
            if (!isScalar(pair.key) || !isScalar(pair.value)) continue;
            const key = String(pair.key.value);
            const value = "${ inputs.changed }";
            const edited = setIn(text, [...step.path, "with", key], value);
            const diff = changedLines(text, edited);
            const keyLine = lineOf(text, pair.key.range![0]);
            const lastLine = lineOf(text, lastChar(text, pair.value.range![1]));
            // Only the property's own lines changed: it starts at the key's line and ends within the value's lines.
            expect(diff.firstLine, `${file} ${step.id}.with.${key}`).toBe(keyLine);
            expect(diff.removed.length, `${file} ${step.id}.with.${key}`).toBeLessThanOrEqual(lastLine - keyLine + 1);
            expect(diff.added.length, `${file} ${step.id}.with.${key}`).toBeGreaterThanOrEqual(1);
            expect(diff.added.length, `${file} ${step.id}.with.${key}`).toBeLessThanOrEqual(2);
            expect(diff.added[0]).toContain(key);
            expect(getIn(edited, [...step.path, "with", key])).toBe(value);
            // The rest of the document reads the same.
            const before = parse(text) as Record<string, unknown>;
            const after = parse(edited) as Record<string, unknown>;
            expect(JSON.stringify(after).replace(JSON.stringify(value).slice(1, -1), "")).not.toBe(undefined);
            expect(Object.keys(after)).toEqual(Object.keys(before));
            edits++;
          }
        }
        if (steps.some(s => s.type !== "fail" && s.type !== "if")) expect(edits).toBeGreaterThan(0);
      });

      it("keeps every comment and the key order through a set of edits, and matches its golden file", () => {
        let edited = text;
        const first = steps.find(s => !s.children.length) ?? steps[0]!;
        edited = setIn(edited, [...first.path, "name"], "Edited in the designer");
        edited = setIn(edited, [...first.path, "timeout"], "5m");
        edited = insertItem(edited, ["steps"], tree.steps.length, { id: "designerNote", type: "log", with: { message: "${ inputs.note }" } });
        edited = setIn(edited, ["inputs", "note"], { type: "string", default: "moved by the designer" });
        edited = deleteIn(edited, [...first.path, "timeout"]);
        for (const c of comments(text)) expect(edited.split("\n").map(l => l.trim())).toContain(c);
        const beforeKeys = Object.keys(parse(text) as object);
        const afterKeys = Object.keys(parse(edited) as object);
        expect(afterKeys.filter(k => beforeKeys.includes(k))).toEqual(beforeKeys);
        expect(parseDocument(edited).errors).toEqual([]);

        const golden = join(__dirname, "golden", file.replace(/[\\/]/g, "__"));
        if (process.env.UPDATE_GOLDEN === "1" || !existsSync(golden)) writeFileSync(golden, edited);
        expect(edited).toBe(readFileSync(golden, "utf8"));
      });

      it("is unchanged by opening (parsing) it", () => {
        expect(parseWorkflow(text).text).toBe(text);
      });
    });
  }
});

describe("YAML edits", () => {
  const base = `# top comment
name: demo # trailing comment
defaults: &defaults
  host: h1
steps:
  # the first step
  - id: a
    type: log
    with: { message: "hi", level: info }
  - id: b
    type: log
    with:
      message: x   # keep me
      <<: *defaults
`;

  it("adds and removes a key in a flow mapping on its own line", () => {
    const added = setIn(base, ["steps", 0, "with", "extra"], 5);
    expect(changedLines(base, added).added).toEqual([`    with: { message: "hi", level: info, extra: 5 }`]);
    const removed = deleteIn(added, ["steps", 0, "with", "level"]);
    expect(changedLines(base, removed).added).toEqual([`    with: { message: "hi", extra: 5 }`]);
  });

  it("keeps anchors, aliases and trailing comments when a neighbour changes", () => {
    const edited = setIn(base, ["steps", 1, "with", "message"], "y");
    expect(changedLines(base, edited)).toEqual({ removed: ["      message: x   # keep me"], added: ["      message: y   # keep me"], firstLine: 13 });
  });

  it("inserts, moves and removes steps keeping the comment above a step with it", () => {
    const inserted = insertItem(base, ["steps"], 0, { id: "z", type: "delay", with: { duration: "1s" } });
    expect(inserted).toContain("  - id: z\n    type: delay\n    with:\n      duration: 1s\n  # the first step\n  - id: a");
    const moved = moveItem(inserted, ["steps"], 0, ["steps"], 3);
    expect(parseWorkflow(moved).steps.map(s => s.id)).toEqual(["a", "b", "z"]);
    const removed = removeItem(moved, ["steps"], 2);
    expect(removed).toBe(base);
  });

  it("gives a group its first child and takes its last one away", () => {
    const text = "steps:\n  - id: t\n    type: try\n    steps: []\n";
    const one = insertItem(text, ["steps", 0, "steps"], 0, { type: "log", with: { message: "m" } });
    expect(one).toBe("steps:\n  - id: t\n    type: try\n    steps:\n      - type: log\n        with:\n          message: m\n");
    expect(parseWorkflow(one).steps[0]!.children[0]!.steps[0]!.id).toBe("t.steps.1");
    expect(removeItem(one, ["steps", 0, "steps"], 0)).toBe(text);
  });

  it("derives step ids as the engine does", () => {
    const tree = parseWorkflow(shipped.find(s => s.file === "copy-disks-pivot.yaml")!.text);
    expect(flatten(tree.steps).map(s => s.id)).toEqual(["move", "mirror", "wait", "pivot", "rollback"]);
    const g = parseWorkflow(shipped.find(s => s.file.endsWith("guarded-maintenance.yaml"))!.text);
    expect(flatten(g.steps).map(s => s.id)).toEqual(["step-1", "pause", "maintain", "step-1.catch.1", "step-1.catch.2", "step-1.catch.2.then.1", "step-1.finally.1"]);
  });
});
