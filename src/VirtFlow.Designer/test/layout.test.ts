import { describe, expect, it } from "vitest";
import { countSteps, ELK_MAX_STEPS, END, layoutSteps, layoutWithElk, START } from "../src/graph/layout";
import { blockLayout } from "../src/graph/blockLayout";
import { parseWorkflow } from "../src/model/stepTree";
import { generatedWorkflow } from "./generate";
import { shippedWorkflows } from "./shipped";

describe("layout", () => {
  it.each(["elk", "block"] as const)("puts a group's children inside it, each slot side by side (%s)", async engine => {
    const text = shippedWorkflows().find(s => s.file.endsWith("guarded-maintenance.yaml"))!.text;
    const steps = parseWorkflow(text).steps;
    const layout = engine === "elk" ? await layoutWithElk(steps) : blockLayout(steps);
    const box = (id: string) => layout.boxes.find(b => b.id === id)!;
    expect(box("step-1").kind).toBe("group");
    expect(box("step-1::steps").parentId).toBe("step-1");
    expect(box("pause").parentId).toBe("step-1::steps");
    expect(box("step-1.catch.2").kind).toBe("group");
    expect(box("step-1.catch.2.then.1").parentId).toBe("step-1.catch.2::then");
    // slots left to right in file order, inside the group
    expect(box("step-1::catch").x).toBeGreaterThan(box("step-1::steps").x);
    expect(box("step-1::finally").x).toBeGreaterThan(box("step-1::catch").x);
    for (const b of layout.boxes.filter(b => b.parentId)) {
      const parent = box(b.parentId!);
      expect(b.x + b.width).toBeLessThanOrEqual(parent.width + 0.5);
      expect(b.y + b.height).toBeLessThanOrEqual(parent.height + 0.5);
    }
    // parents before children
    const seen = new Set<string>();
    for (const b of layout.boxes) {
      if (b.parentId) expect(seen.has(b.parentId)).toBe(true);
      seen.add(b.id);
    }
    expect(layout.links.map(l => [l.source, l.target])).toContainEqual([START, "step-1"]);
    expect(layout.links.map(l => [l.source, l.target])).toContainEqual(["step-1", END]);
    expect(layout.links.find(l => l.source === "pause")!.list).toEqual({ parent: "step-1", slot: "steps", index: 1 });
  }, 30_000);

  it("lays out a generated 500-step workflow in well under a second", async () => {
    const tree = parseWorkflow(generatedWorkflow(500));
    await layoutSteps(parseWorkflow(generatedWorkflow(20)).steps); // warm up the JIT
    const started = performance.now();
    const layout = await layoutSteps(tree.steps);
    expect(countSteps(tree.steps)).toBeGreaterThan(ELK_MAX_STEPS);
    const ms = performance.now() - started;
    expect(layout.boxes.filter(b => b.kind === "step" || b.kind === "group").length).toBeGreaterThanOrEqual(500);
    console.log(`500-step layout: ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(1000);
  });
});
