import type { StepNode } from "../api/types";

export interface Box {
  key: string;
  stepId: string;
  label: string;
  type: string;
  group: boolean;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Link {
  key: string;
  from: string;
  to: string;
}

const W = 200, H = 44, GAP = 24, PAD = 16, HEADER = 30;

/**
 * A deterministic layout of a step tree, linear in the number of steps (so a 2,000-step instance lays out at once):
 * a sequence stacks down; a step with children (parallel, forEach, try, if, switch, while) is a box holding its slots
 * side by side.
 */
export function layoutSteps(steps: StepNode[]): { boxes: Box[]; links: Link[] } {
  const boxes: Box[] = [];
  const links: Link[] = [];
  sequence(steps, 0, 0, "", boxes, links);
  return { boxes, links };
}

function sequence(steps: StepNode[], x: number, y: number, prefix: string, boxes: Box[], links: Link[]): { width: number; height: number } {
  let width = W, top = y, previous: string | null = null;
  for (const step of steps) {
    const key = `${prefix}${step.id}`;
    const size = node(step, x, top, key, boxes, links);
    if (previous) links.push({ key: `${previous}->${key}`, from: previous, to: key });
    previous = key;
    width = Math.max(width, size.width);
    top += size.height + GAP;
  }
  return { width, height: Math.max(0, top - y - GAP) };
}

function node(step: StepNode, x: number, y: number, key: string, boxes: Box[], links: Link[]): { width: number; height: number } {
  const label = step.name ?? step.id;
  if (step.children.length === 0) {
    boxes.push({ key, stepId: step.id, label, type: step.type, group: false, x, y, width: W, height: H });
    return { width: W, height: H };
  }
  const box: Box = { key, stepId: step.id, label, type: step.type, group: true, x, y, width: 0, height: 0 };
  boxes.push(box);
  let left = x + PAD, height = 0;
  for (const slot of step.children) {
    const size = sequence(slot.steps, left, y + HEADER, `${key}/${slot.slot}/`, boxes, links);
    left += size.width + PAD;
    height = Math.max(height, size.height);
  }
  box.width = Math.max(W, left - x);
  box.height = HEADER + height + PAD;
  return { width: box.width, height: box.height };
}
