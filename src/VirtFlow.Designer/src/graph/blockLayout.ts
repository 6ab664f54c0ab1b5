import {
  END, END_H, END_W, GAP, GROUP_HEADER, isGroup, PAD, SLOT_HEADER, START, STEP_H, STEP_W, slotNodeId,
  type Box, type GraphStep, type Layout, type Link,
} from "./layout";

interface Sized {
  w: number;
  h: number;
}

/**
 * The linear-time layout for structured workflows: a list is a column (centred), a control-flow step a box whose
 * slots stand side by side in file order, each slot a column of its steps. Same boxes, links and conventions as the
 * ELK layout; positions relative to the parent, parents before children.
 */
export function blockLayout(steps: GraphStep[]): Layout {
  const sizes = new Map<string, Sized>();
  const slotSize = (s: GraphStep, slot: { slot: string; steps: GraphStep[] }): Sized => {
    const list = listSize(slot.steps);
    const size = { w: Math.max(STEP_W, list.w) + 2 * PAD, h: SLOT_HEADER + (slot.steps.length ? list.h : STEP_H) + PAD };
    sizes.set(slotNodeId(s.id, slot.slot), size);
    return size;
  };
  const stepSize = (s: GraphStep): Sized => {
    let size: Sized;
    if (!isGroup(s)) size = { w: STEP_W, h: STEP_H };
    else {
      const slots = s.children.length ? s.children.map(c => slotSize(s, c)) : [slotSize(s, { slot: "steps", steps: [] })];
      size = { w: slots.reduce((a, b) => a + b.w, 0) + (slots.length - 1) * 14 + 2 * PAD, h: GROUP_HEADER + Math.max(...slots.map(x => x.h)) + PAD };
    }
    sizes.set(s.id, size);
    return size;
  };
  const listSize = (list: GraphStep[]): Sized => {
    let w = 0;
    let h = 0;
    list.forEach((s, i) => {
      const z = stepSize(s);
      w = Math.max(w, z.w);
      h += z.h + (i ? GAP : 0);
    });
    return { w, h };
  };

  const boxes: Box[] = [];
  const links: Link[] = [];
  const chain = (ids: string[], parent: string | null, slot: string, withEnds: boolean) => {
    for (let i = 0; i + 1 < ids.length; i++) {
      links.push({ id: `e:${ids[i]}->${ids[i + 1]}`, source: ids[i]!, target: ids[i + 1]!, list: { parent, slot, index: withEnds ? i : i + 1 } });
    }
  };
  const placeList = (list: GraphStep[], parentBox: string | null, parentStep: string | null, slot: string, x0: number, y0: number, width: number) => {
    let y = y0;
    list.forEach((s, index) => {
      const z = sizes.get(s.id)!;
      const x = x0 + (width - z.w) / 2;
      boxes.push({ id: s.id, kind: isGroup(s) ? "group" : "step", parentId: parentBox, x, y, width: z.w, height: z.h, step: s, slot, owner: { parent: parentStep, slot, index } });
      if (isGroup(s)) placeGroup(s);
      y += z.h + GAP;
    });
    chain(list.map(s => s.id), parentStep, slot, false);
  };
  const placeGroup = (s: GraphStep) => {
    let x = PAD;
    const slots = s.children.length ? s.children : [{ slot: "steps", steps: [] }];
    for (const c of slots) {
      const id = slotNodeId(s.id, c.slot);
      const z = sizes.get(id)!;
      boxes.push({ id, kind: "slot", parentId: s.id, x, y: GROUP_HEADER, width: z.w, height: z.h, step: null, slot: c.slot, owner: null });
      placeList(c.steps, id, s.id, c.slot, PAD, SLOT_HEADER, z.w - 2 * PAD);
      x += z.w + 14;
    }
  };

  const top = listSize(steps);
  const width = Math.max(top.w, END_W) + 20;
  boxes.push({ id: START, kind: "start", parentId: null, x: 10 + (width - 20 - END_W) / 2, y: 10, width: END_W, height: END_H, step: null, slot: null, owner: null });
  placeList(steps, null, null, "steps", 10, 10 + END_H + GAP, width - 20);
  const endY = 10 + END_H + GAP + top.h + (steps.length ? GAP : 0);
  boxes.push({ id: END, kind: "end", parentId: null, x: 10 + (width - 20 - END_W) / 2, y: endY, width: END_W, height: END_H, step: null, slot: null, owner: null });
  // top-level links: start → steps → end (replace the plain chain of the top list)
  const topIds = [START, ...steps.map(s => s.id), END];
  for (let i = links.length - 1; i >= 0; i--) if (links[i]!.list.parent === null) links.splice(i, 1);
  chain(topIds, null, "steps", true);
  return { boxes, links, width, height: endY + END_H + 10 };
}
