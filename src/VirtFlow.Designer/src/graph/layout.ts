import type { ElkExtendedEdge, ElkNode } from "elkjs/lib/elk-api";
import { blockLayout } from "./blockLayout";
import { elkLayout } from "./elkEngine";

/** What the graph needs of a step: the editor's Step and the API's StepNode both fit. */
export interface GraphStep {
  id: string;
  type: string;
  name: string | null;
  children: { slot: string; steps: GraphStep[] }[];
}

export const STEP_W = 210;
export const STEP_H = 46;
export const GROUP_HEADER = 30;
export const SLOT_HEADER = 22;
export const PAD = 10;
export const GAP = 26;
export const END_W = 90;
export const END_H = 30;

/** A laid-out box: steps, groups (a control-flow step), slots (a group's child list), and the start and end marks. */
export interface Box {
  id: string;
  kind: "step" | "group" | "slot" | "start" | "end";
  parentId: string | null;
  x: number;
  y: number;
  width: number;
  height: number;
  step: GraphStep | null;
  /** For a slot: the slot name; for steps: the slot they are in. */
  slot: string | null;
  /** The owning list: the parent step id (null at top level), the slot, the index in it. */
  owner: { parent: string | null; slot: string; index: number } | null;
}

/** An edge between two consecutive steps of one list (or start/end): inserting on it puts a step at `index` of the list. */
export interface Link {
  id: string;
  source: string;
  target: string;
  list: { parent: string | null; slot: string; index: number };
}

export interface Layout {
  boxes: Box[];
  links: Link[];
  width: number;
  height: number;
}

export const slotNodeId = (stepId: string, slot: string) => `${stepId}::${slot}`;
export const START = "__start";
export const END = "__end";

export const isGroup = (s: GraphStep) => ["sequence", "parallel", "forEach", "if", "switch", "while", "try"].includes(s.type);

const listOptions = {
  "elk.algorithm": "layered",
  "elk.direction": "DOWN",
  "elk.spacing.nodeNode": "18",
  "elk.layered.spacing.nodeNodeBetweenLayers": String(GAP),
  "elk.layered.layering.strategy": "LONGEST_PATH",
  "elk.layered.thoroughness": "1",
  "elk.layered.nodePlacement.strategy": "SIMPLE",
  "elk.layered.considerModelOrder.strategy": "NODES_AND_EDGES",
  "elk.edgeRouting": "POLYLINE",
};

function listGraph(steps: GraphStep[], parent: string | null, slot: string, links: Link[], withEnds: boolean): { children: ElkNode[]; edges: ElkExtendedEdge[] } {
  const children: ElkNode[] = [];
  const edges: ElkExtendedEdge[] = [];
  const ids: string[] = [];
  if (withEnds) {
    children.push({ id: START, width: END_W, height: END_H });
    ids.push(START);
  }
  for (const s of steps) {
    children.push(stepGraph(s, links));
    ids.push(s.id);
  }
  if (withEnds) {
    children.push({ id: END, width: END_W, height: END_H });
    ids.push(END);
  }
  for (let i = 0; i + 1 < ids.length; i++) {
    const id = `e:${ids[i]}->${ids[i + 1]}`;
    edges.push({ id, sources: [ids[i]!], targets: [ids[i + 1]!] });
    links.push({ id, source: ids[i]!, target: ids[i + 1]!, list: { parent, slot, index: withEnds ? i : i + 1 } });
  }
  return { children, edges };
}

function stepGraph(step: GraphStep, links: Link[]): ElkNode {
  if (!isGroup(step)) return { id: step.id, width: STEP_W, height: STEP_H };
  const slots: ElkNode[] = step.children.map(c => {
    const inner = listGraph(c.steps, step.id, c.slot, links, false);
    const id = slotNodeId(step.id, c.slot);
    if (!inner.children.length) return { id, width: STEP_W, height: STEP_H + SLOT_HEADER };
    return {
      id,
      layoutOptions: { ...listOptions, "elk.padding": `[top=${SLOT_HEADER},left=${PAD},bottom=${PAD},right=${PAD}]` },
      children: inner.children,
      edges: inner.edges,
    };
  });
  return {
    id: step.id,
    layoutOptions: {
      "elk.algorithm": "layered",
      "elk.direction": "RIGHT",
      "elk.spacing.nodeNode": "14",
      "elk.layered.spacing.nodeNodeBetweenLayers": "14",
      "elk.padding": `[top=${GROUP_HEADER},left=${PAD},bottom=${PAD},right=${PAD}]`,
      "elk.layered.considerModelOrder.strategy": "NODES_AND_EDGES",
      "elk.layered.nodePlacement.strategy": "SIMPLE",
    },
    // Slots side by side: a chain of invisible edges keeps them in file order left to right.
    children: slots.length ? slots : [{ id: slotNodeId(step.id, "steps"), width: STEP_W, height: STEP_H }],
    edges: slots.slice(1).map((s, i) => ({ id: `order:${slots[i]!.id}->${s.id}`, sources: [slots[i]!.id], targets: [s.id] })),
  };
}

function collect(node: ElkNode, parentId: string | null, byId: Map<string, GraphStep>, owners: Map<string, Box["owner"]>, out: Box[]): void {
  for (const c of node.children ?? []) {
    const step = byId.get(c.id) ?? null;
    const isSlot = c.id.includes("::");
    const kind: Box["kind"] = c.id === START ? "start" : c.id === END ? "end" : isSlot ? "slot" : step && isGroup(step) ? "group" : "step";
    out.push({
      id: c.id, kind, parentId, x: c.x ?? 0, y: c.y ?? 0, width: c.width ?? STEP_W, height: c.height ?? STEP_H, step,
      slot: isSlot ? c.id.slice(c.id.indexOf("::") + 2) : owners.get(c.id)?.slot ?? null, owner: owners.get(c.id) ?? null,
    });
    collect(c, c.id, byId, owners, out);
  }
}

/**
 * Lays the steps out with ELK (layered, top to bottom): each list is a chain, each control-flow step a box holding
 * its slots side by side (then | else, branches, try | catch | finally), each slot its steps. Parents come before
 * their children in `boxes`, positions are relative to the parent (as React Flow wants them).
 */
export async function layoutWithElk(steps: GraphStep[]): Promise<Layout> {
  const links: Link[] = [];
  const byId = new Map<string, GraphStep>();
  const owners = new Map<string, Box["owner"]>();
  const walk = (list: GraphStep[], parent: string | null, slot: string) =>
    list.forEach((s, index) => {
      byId.set(s.id, s);
      owners.set(s.id, { parent, slot, index });
      s.children.forEach(c => walk(c.steps, s.id, c.slot));
    });
  walk(steps, null, "steps");
  const top = listGraph(steps, null, "steps", links, true);
  const root: ElkNode = { id: "root", layoutOptions: { ...listOptions, "elk.padding": "[top=10,left=10,bottom=10,right=10]" }, ...top };
  const laid = await elkLayout(root);
  const boxes: Box[] = [];
  collect(laid, null, byId, owners, boxes);
  return { boxes, links, width: laid.width ?? 0, height: laid.height ?? 0 };
}

/** Up to this many steps ELK lays the graph out; beyond, the block layout does (ELK's layered algorithm costs about 3 ms a node here). */
export const ELK_MAX_STEPS = 120;

/** Counts the steps of a tree. */
export function countSteps(steps: GraphStep[]): number {
  let n = 0;
  const walk = (list: GraphStep[]) => list.forEach(s => { n++; s.children.forEach(c => walk(c.steps)); });
  walk(steps);
  return n;
}

/**
 * Lays the workflow out: ELK (layered) for graphs up to {@link ELK_MAX_STEPS} steps, the linear block layout (same
 * conventions: lists top to bottom, slots side by side inside their group) for larger ones, so 500 steps lay out in
 * milliseconds. `engine` forces one.
 */
export async function layoutSteps(steps: GraphStep[], engine: "auto" | "elk" | "block" = "auto"): Promise<Layout> {
  const useElk = engine === "elk" || (engine === "auto" && countSteps(steps) <= ELK_MAX_STEPS);
  return useElk ? layoutWithElk(steps) : blockLayout(steps);
}
