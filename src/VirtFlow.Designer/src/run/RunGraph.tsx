import { Background, Controls, ReactFlow, type Edge, type Node } from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { memo, useMemo } from "react";
import type { StepNode } from "../api/types";
import type { StepColour } from "./liveState";
import { layoutSteps } from "./runLayout";

/** The workflow's step graph with each step coloured by its state (waiting, running, completed, faulted, skipped). */
export const RunGraph = memo(function RunGraph({ steps, colours, onPick }: { steps: StepNode[]; colours: Record<string, StepColour>; onPick?: (stepId: string) => void }) {
  const layout = useMemo(() => layoutSteps(steps), [steps]);
  const nodes = useMemo<Node[]>(
    () =>
      layout.boxes.map(b => {
        const state = colours[b.stepId] ?? "waiting";
        return {
          id: b.key,
          position: { x: b.x, y: b.y },
          data: { label: `${b.label} · ${b.type}`, stepId: b.stepId },
          className: `run-node state-${state}${b.group ? " run-group" : ""}`,
          style: { width: b.width, height: b.height },
          zIndex: b.group ? 0 : 1,
          draggable: false,
          connectable: false,
          selectable: !b.group,
          ariaLabel: `${b.stepId} ${state}`,
          domAttributes: { "data-step": b.stepId, "data-state": state },
        } as Node;
      }),
    [layout, colours],
  );
  const edges = useMemo<Edge[]>(() => layout.links.map(l => ({ id: l.key, source: l.from, target: l.to })), [layout]);
  return (
    <div className="run-graph" data-testid="run-graph">
      <ReactFlow nodes={nodes} edges={edges} fitView onlyRenderVisibleElements={layout.boxes.length > 1000} minZoom={0.05} nodesDraggable={false} nodesConnectable={false}
        onNodeClick={(_, n) => onPick?.(String(n.data.stepId))}>
        <Background />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
});
