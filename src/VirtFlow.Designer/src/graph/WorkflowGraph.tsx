import { Background, Controls, MarkerType, MiniMap, Position, ReactFlow, type Edge, type Node, type NodeHandle } from "@xyflow/react";
import { memo, useEffect, useMemo, useRef, useState } from "react";
import { acceptsDrag, readDrag, type InsertAt } from "./dnd";
import { GraphCallbacks, type GraphCallbackSet } from "./GraphCallbacks";
import { edgeTypes } from "./InsertEdge";
import { blockLayout } from "./blockLayout";
import { countSteps, ELK_MAX_STEPS, END, layoutWithElk, START, type GraphStep, type Layout } from "./layout";
import { nodeTypes, type StepDecoration } from "./nodes";

/** React Flow's handle is 6 px, centred on the node's top (target) and bottom (source) edges. */
const HANDLE = 6;
/**
 * The handles of a step, group or terminal box where React Flow would measure them. Given up front, React Flow does not
 * draw every node once to measure it (with only the visible nodes drawn, opening 2,000 steps drew all 2,000 first).
 */
function handlesOf(width: number, height: number): NodeHandle[] {
  const x = width / 2 - HANDLE / 2;
  return [
    { type: "target", position: Position.Top, x, y: -HANDLE / 2, width: HANDLE, height: HANDLE },
    { type: "source", position: Position.Bottom, x, y: height - HANDLE / 2, width: HANDLE, height: HANDLE },
  ];
}

/** Beyond this many boxes only what is on screen is drawn, and the graph opens on its beginning. */
const LARGE_GRAPH = 200;
/** The top-level boxes (the start node first) a large graph opens on. */
const FIRST_SCREEN_BOXES = 4;

export interface WorkflowGraphProps {
  steps: GraphStep[];
  /** Per step id: errors, status, progress. Changing it never lays the graph out again. */
  decorations?: ReadonlyMap<string, StepDecoration>;
  selectedId?: string | null;
  onSelect?: (id: string | null) => void;
  /** Given: the graph is editable ("+" on edges and slots, drops). */
  onInsert?: (at: InsertAt, type: string | null) => void;
  /** Told how long the layout took and how many boxes it made (benchmarks, the status bar). */
  onLayout?: (ms: number, layout: Layout) => void;
}

/** The structure of a tree as a string: what the layout depends on (ids, types, names, slots), nothing else. */
export function structureKey(steps: GraphStep[]): string {
  const parts: string[] = [];
  const walk = (list: GraphStep[]) => {
    parts.push("[");
    for (const s of list) {
      parts.push(s.id, "\u0001", s.type, "\u0001", s.name ?? "", "{");
      for (const c of s.children) {
        parts.push(c.slot, ":");
        walk(c.steps);
      }
      parts.push("}");
    }
    parts.push("]");
  };
  walk(steps);
  return parts.join("");
}

/**
 * The workflow as a graph (React Flow): laid out once per structure (the block layout at once, then ELK's for graphs
 * up to ELK_MAX_STEPS steps),
 * nodes memoized, so selecting a step or showing errors and states does not lay it out again. Shared by the editor and
 * designer-run's live instance view.
 */
export const WorkflowGraph = memo(function WorkflowGraph({ steps, decorations, selectedId, onSelect, onInsert, onLayout }: WorkflowGraphProps) {
  const key = useMemo(() => structureKey(steps), [steps]);
  // First the block layout, at once (linear time); then, for graphs ELK handles quickly enough, ELK's layout from its
  // worker replaces it if the structure is still the same.
  const stepsRef = useRef(steps);
  stepsRef.current = steps;
  const onLayoutRef = useRef(onLayout);
  onLayoutRef.current = onLayout;
  const first = useMemo(() => {
    const started = performance.now();
    const l = blockLayout(stepsRef.current);
    return { key, layout: l, ms: performance.now() - started };
  }, [key]);
  const [refined, setRefined] = useState<{ key: string; layout: Layout } | null>(null);
  useEffect(() => {
    onLayoutRef.current?.(first.ms, first.layout);
    if (countSteps(stepsRef.current) > ELK_MAX_STEPS) return;
    let cancelled = false;
    layoutWithElk(stepsRef.current).then(l => {
      if (!cancelled) setRefined({ key: first.key, layout: l });
    }, () => undefined);
    return () => {
      cancelled = true;
    };
  }, [first]);
  const layout: Layout | null = refined?.key === key ? refined.layout : first.layout;

  const baseNodes = useMemo<Node[]>(() => {
    if (!layout) return [];
    const childCount = new Map<string, number>();
    for (const b of layout.boxes) if (b.parentId) childCount.set(b.parentId, (childCount.get(b.parentId) ?? 0) + 1);
    return layout.boxes.map(b => {
      const common = { id: b.id, position: { x: b.x, y: b.y }, width: b.width, height: b.height, style: { width: b.width, height: b.height }, ...(b.parentId ? { parentId: b.parentId, extent: "parent" as const } : {}) };
      if (b.kind === "start" || b.kind === "end") return { ...common, handles: handlesOf(b.width, b.height), type: "terminal", data: {}, selectable: false };
      if (b.kind === "slot") {
        const owner = b.parentId!;
        const count = childCount.get(b.id) ?? 0;
        return { ...common, handles: [], type: "slot", data: { parent: owner, slot: b.slot!, count }, selectable: false };
      }
      return { ...common, handles: handlesOf(b.width, b.height), type: b.kind, data: { step: b.step!, decoration: undefined } };
    });
  }, [layout]);

  // Decorations and selection only touch the nodes whose data changes (the others keep their object).
  const cache = useRef(new Map<string, Node>());
  const nodes = useMemo<Node[]>(() => {
    const next = new Map<string, Node>();
    const out = baseNodes.map(n => {
      if (n.type !== "step" && n.type !== "group") return n;
      const decoration = decorations?.get(n.id);
      const selected = n.id === selectedId;
      const previous = cache.current.get(n.id);
      const node = previous && previous.data.decoration === decoration && previous.selected === selected && previous.position === n.position && previous.data.step === (n.data as { step: unknown }).step
        ? previous
        : { ...n, selected, data: { ...n.data, decoration } };
      next.set(n.id, node);
      return node;
    });
    cache.current = next;
    return out;
  }, [baseNodes, decorations, selectedId]);

  const edges = useMemo<Edge[]>(() => (layout?.links ?? []).map(l => ({
    id: l.id, source: l.source, target: l.target, type: "insert", data: { at: l.list },
    markerEnd: { type: MarkerType.ArrowClosed, width: 14, height: 14 }, selectable: false,
  })), [layout]);

  const callbacks = useMemo<GraphCallbackSet>(() => ({ onInsert }), [onInsert]);

  // A large graph opens at a readable zoom on its beginning (the start and the first top-level steps), not zoomed out
  // to fit every box: at 5% nothing can be read, and only what is on screen is drawn (opening 500 steps drew them all).
  const large = nodes.length > LARGE_GRAPH;
  const fitViewOptions = useMemo(() => {
    if (!large || !layout) return { maxZoom: 1, padding: 0.1 };
    const top = layout.boxes.filter(b => !b.parentId).slice(0, FIRST_SCREEN_BOXES).map(b => ({ id: b.id }));
    return { maxZoom: 1, minZoom: 0.4, padding: 0.1, nodes: top };
  }, [large, layout]);

  return (
    <GraphCallbacks.Provider value={callbacks}>
      <div
        className="vf-graph"
        data-testid="graph"
        data-layout-ready={layout ? "true" : "false"}
        data-layout-engine={refined?.key === key ? "elk" : "block"}
        onDragOver={e => {
          if (onInsert && acceptsDrag(e)) e.preventDefault();
        }}
        onDrop={e => {
          const type = readDrag(e);
          if (!onInsert || !type) return;
          e.preventDefault();
          onInsert({ parent: null, slot: "steps", index: steps.length }, type);
        }}
      >
        <ReactFlow
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          edgeTypes={edgeTypes}
          nodesDraggable={false}
          nodesConnectable={false}
          elementsSelectable
          onlyRenderVisibleElements={large}
          fitView
          fitViewOptions={fitViewOptions}
          minZoom={0.05}
          onNodeClick={(_, n) => onSelect?.(n.id === START || n.id === END || n.type === "slot" ? null : n.id)}
          onPaneClick={() => onSelect?.(null)}
          proOptions={{ hideAttribution: true }}
        >
          <Background gap={16} />
          <Controls showInteractive={false} />
          {nodes.length < 400 ? <MiniMap pannable zoomable /> : null}
        </ReactFlow>
      </div>
    </GraphCallbacks.Provider>
  );
});
