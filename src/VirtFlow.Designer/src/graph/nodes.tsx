import { Handle, Position, type NodeProps } from "@xyflow/react";
import { memo, useContext, useState } from "react";
import { acceptsDrag, readDrag } from "./dnd";
import { GraphCallbacks } from "./GraphCallbacks";
import type { GraphStep } from "./layout";

/** Shown on a step: its run status (the live view), validation errors (the editor), per-disk progress (0-100). */
export interface StepDecoration {
  status?: "waiting" | "pending" | "running" | "suspended" | "completed" | "faulted" | "skipped" | "cancelled" | string;
  errors?: string[];
  progress?: number | null;
}

export interface StepNodeData extends Record<string, unknown> {
  step: GraphStep;
  decoration: StepDecoration | undefined;
}

export interface SlotNodeData extends Record<string, unknown> {
  parent: string;
  slot: string;
  count: number;
}

const hidden = { opacity: 0, pointerEvents: "none" as const };

function StatusBadge({ d }: { d: StepDecoration | undefined }) {
  if (!d) return null;
  return (
    <>
      {d.errors?.length ? <span className="badge badge-error" title={d.errors.join("\n")} data-testid="node-error">{d.errors.length}</span> : null}
      {d.status ? <span className={`badge badge-status status-${d.status}`} data-testid="node-status">{d.status}</span> : null}
      {typeof d.progress === "number" ? (
        <span className="node-progress" data-testid="node-progress"><span style={{ width: `${Math.max(0, Math.min(100, d.progress))}%` }} /></span>
      ) : null}
    </>
  );
}

export const StepNodeView = memo(function StepNodeView({ data, selected }: NodeProps) {
  const { step, decoration } = data as StepNodeData;
  const cls = ["vf-step", selected ? "selected" : "", decoration?.errors?.length ? "has-errors" : "", decoration?.status ? `status-${decoration.status}` : ""].join(" ");
  return (
    <div className={cls} data-testid={`node-${step.id}`} title={decoration?.errors?.join("\n") ?? step.id}>
      <Handle type="target" position={Position.Top} style={hidden} isConnectable={false} />
      <div className="vf-step-type">{step.type}</div>
      <div className="vf-step-id">{step.name ?? step.id}</div>
      <StatusBadge d={decoration} />
      <Handle type="source" position={Position.Bottom} style={hidden} isConnectable={false} />
    </div>
  );
});

export const GroupNodeView = memo(function GroupNodeView({ data, selected }: NodeProps) {
  const { step, decoration } = data as StepNodeData;
  const cls = ["vf-group", `vf-group-${step.type}`, selected ? "selected" : "", decoration?.errors?.length ? "has-errors" : "", decoration?.status ? `status-${decoration.status}` : ""].join(" ");
  return (
    <div className={cls} data-testid={`node-${step.id}`}>
      <Handle type="target" position={Position.Top} style={hidden} isConnectable={false} />
      <div className="vf-group-head">
        <b>{step.type}</b> {step.name ?? step.id}
        <StatusBadge d={decoration} />
      </div>
      <Handle type="source" position={Position.Bottom} style={hidden} isConnectable={false} />
    </div>
  );
});

export const SlotNodeView = memo(function SlotNodeView({ data }: NodeProps) {
  const { parent, slot, count } = data as SlotNodeData;
  const callbacks = useContext(GraphCallbacks);
  const [over, setOver] = useState(false);
  const editable = callbacks.onInsert !== undefined;
  return (
    <div
      className={`vf-slot ${over ? "drop-over" : ""}`}
      data-testid={`slot-${parent}-${slot}`}
      onDragOver={e => {
        if (!editable || !acceptsDrag(e)) return;
        e.preventDefault();
        e.stopPropagation();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={e => {
        setOver(false);
        const type = readDrag(e);
        if (!editable || !type) return;
        e.preventDefault();
        e.stopPropagation();
        callbacks.onInsert?.({ parent, slot, index: count }, type);
      }}
    >
      <div className="vf-slot-head">
        {slot}
        {editable ? (
          <button type="button" className="slot-add" title={`insert into ${slot}`} data-testid={`slot-insert-${parent}-${slot}`}
            onClick={e => { e.stopPropagation(); callbacks.onInsert?.({ parent, slot, index: count }, null); }}>+</button>
        ) : null}
      </div>
      {count === 0 ? <div className="vf-slot-empty">{editable ? "drop a step here" : "empty"}</div> : null}
    </div>
  );
});

export const TerminalNodeView = memo(function TerminalNodeView({ id }: NodeProps) {
  return (
    <div className="vf-terminal" data-testid={`node-${id}`}>
      {id === "__start" ? "start" : "end"}
      <Handle type="target" position={Position.Top} style={hidden} isConnectable={false} />
      <Handle type="source" position={Position.Bottom} style={hidden} isConnectable={false} />
    </div>
  );
});

export const nodeTypes = { step: StepNodeView, group: GroupNodeView, slot: SlotNodeView, terminal: TerminalNodeView };
