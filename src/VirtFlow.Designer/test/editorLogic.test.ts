import { describe, expect, it } from "vitest";
import { autosave } from "../src/editor/autosave";
import { expressionParts } from "../src/editor/ExprInput";
import { fromFieldText, kindOf, toFieldText } from "../src/editor/fieldValues";
import { TextHistory } from "../src/editor/history";
import { newStep, newStepId } from "../src/editor/newStep";
import { parseWorkflow, stepAtLine } from "../src/model/stepTree";
import { insertItem } from "../src/model/yamlEdit";
import { minimalEdit } from "../src/editor/minimalEdit";
import { parse } from "yaml";
import { shippedWorkflows } from "./shipped";

class MemoryStorage implements Storage {
  private map = new Map<string, string>();
  get length() { return this.map.size; }
  clear() { this.map.clear(); }
  getItem(k: string) { return this.map.get(k) ?? null; }
  key(i: number) { return [...this.map.keys()][i] ?? null; }
  removeItem(k: string) { this.map.delete(k); }
  setItem(k: string, v: string) { this.map.set(k, v); }
}

describe("undo/redo", () => {
  it("undoes and redoes edits, a burst in one field being one step", () => {
    const h = new TextHistory(1000);
    h.record("a", "f", 0);
    h.record("ab", "f", 500);
    h.record("abc", "g", 600);
    expect(h.undo("abcd")).toBe("abc");
    expect(h.undo("abc")).toBe("a");
    expect(h.undo("a")).toBeNull();
    expect(h.redo("a")).toBe("abc");
    expect(h.redo("abc")).toBe("abcd");
    expect(h.canRedo).toBe(false);
  });
});

describe("autosave", () => {
  it("keeps the edit with what it is based on, and reads back only its own workflow", () => {
    const s = new MemoryStorage();
    autosave.write({ name: "w", text: "t", baseETag: "\"v1\"", baseLabel: "published v1", baseText: "b", savedAt: "2026-12-07T00:00:00Z" }, s);
    expect(autosave.read("w", s)?.baseETag).toBe("\"v1\"");
    expect(autosave.read("other", s)).toBeNull();
    s.setItem(autosave.key("bad"), "{not json");
    expect(autosave.read("bad", s)).toBeNull();
    autosave.clear("w", s);
    expect(autosave.read("w", s)).toBeNull();
  });
});

describe("expression fields", () => {
  it("splits ${ } expressions out, nested braces included", () => {
    expect(expressionParts("vm:${ inputs.host }/${ ({a:1}).a }")).toEqual([
      { text: "vm:", expr: false }, { text: "${ inputs.host }", expr: true }, { text: "/", expr: false }, { text: "${ ({a:1}).a }", expr: true },
    ]);
    expect(expressionParts("${ open")).toEqual([{ text: "${ open", expr: true }]);
  });

  it("turns field text into values by kind", () => {
    expect(kindOf("integer", false)).toBe("number");
    expect(kindOf("array", false)).toBe("yaml");
    expect(kindOf("string", true)).toBe("enum");
    expect(fromFieldText("42", "number")).toBe(42);
    expect(fromFieldText("${ inputs.n }", "number")).toBe("${ inputs.n }");
    expect(fromFieldText("[{device: vda, target: /t}]", "yaml")).toEqual([{ device: "vda", target: "/t" }]);
    expect(fromFieldText("", "text")).toBeUndefined();
    expect(() => fromFieldText("[a", "yaml")).toThrow();
    expect(toFieldText([{ device: "vda" }])).toBe("[ { device: vda } ]");
  });
});

describe("new steps", () => {
  it("get a fresh id and the activity's required inputs", () => {
    expect(newStepId("vm.mirror", new Set(["vmMirror"]))).toBe("vmMirror2");
    const activity = { type: "vm.mirror", description: "", category: "vm", allowsExtraInputs: false, outputs: [],
      inputs: [{ name: "host", type: "string", description: "", required: false, default: "local", enum: null, items: null },
        { name: "vm", type: "string", description: "", required: true, default: null, enum: null, items: null }] };
    expect(newStep("vm.mirror", "m", activity)).toEqual({ id: "m", type: "vm.mirror", with: { vm: "" } });
    expect(newStep("parallel", "p", undefined)).toEqual({ id: "p", type: "parallel", branches: [[], []] });
  });

  it("fill an empty parallel branch", () => {
    const text = insertItem("steps: []\n", ["steps"], 0, newStep("parallel", "p", undefined));
    const filled = insertItem(text, ["steps", 0, "branches", 1], 0, { id: "x", type: "log" });
    const tree = parseWorkflow(filled);
    expect(tree.yamlErrors).toEqual([]);
    expect(tree.steps[0]!.children.map(c => c.steps.map(s => s.id))).toEqual([[], ["x"]]);
  });
});

describe("diagnostics on nodes", () => {
  it("go to the innermost step whose lines hold them", () => {
    const text = shippedWorkflows().find(s => s.file === "copy-disks-pivot.yaml")!.text;
    const tree = parseWorkflow(text);
    const line = text.split("\n").findIndex(l => l.includes("jobs: ${ steps.mirror.outputs.jobs }")) + 1;
    expect(stepAtLine(tree.steps, line)?.id).toBe("wait");
    expect(stepAtLine(tree.steps, 1)).toBeNull();
  });
});

describe("the YAML editor's sync", () => {
  it("applies the smallest edit", () => {
    expect(minimalEdit("abcdef", "abXYef")).toEqual({ start: 2, end: 4, text: "XY" });
    expect(minimalEdit("same", "same")).toBeNull();
  });
});

describe("a repeated step id", () => {
  it("still gives each step its own node", () => {
    const tree = parseWorkflow("steps:\n  - id: a\n    type: log\n  - id: a\n    type: delay\n");
    expect(tree.steps.map(s => s.id)).toEqual(["a", "a~2"]);
    expect(tree.byId.get("a~2")?.type).toBe("delay");
  });
});

describe("the parsed workflow's data", () => {
  it("is what a parse of the text gives, for every shipped workflow, from the graph's own parse", () => {
    for (const w of shippedWorkflows()) {
      expect(parseWorkflow(w.text).json(), w.file).toEqual(parse(w.text));
    }
  });

  it("is null while the YAML has a syntax error, and for a text that is not a mapping", () => {
    expect(parseWorkflow("name: x\nsteps: [\n").json()).toBeNull();
    expect(parseWorkflow("- a\n- b\n").json()).toBeNull();
  });
});
