import { BaseEdge, EdgeLabelRenderer, getStraightPath, type EdgeProps } from "@xyflow/react";
import { memo, useContext, useState } from "react";
import { acceptsDrag, readDrag, type InsertAt } from "./dnd";
import { GraphCallbacks } from "./GraphCallbacks";

/** An edge between two steps of a list; in the editor it has a "+" to insert a step there and takes a dropped step. */
export const InsertEdge = memo(function InsertEdge({ id, source, target, sourceX, sourceY, targetX, targetY, data, markerEnd }: EdgeProps) {
  const [path, labelX, labelY] = getStraightPath({ sourceX, sourceY, targetX, targetY });
  const callbacks = useContext(GraphCallbacks);
  const [over, setOver] = useState(false);
  const at = (data as { at?: InsertAt } | undefined)?.at;
  return (
    <>
      <BaseEdge id={id} path={path} {...(markerEnd ? { markerEnd } : {})} />
      {callbacks.onInsert && at ? (
        <EdgeLabelRenderer>
          <div
            className={`edge-insert ${over ? "drop-over" : ""}`}
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px,${labelY}px)` }}
            onDragOver={e => {
              if (!acceptsDrag(e)) return;
              e.preventDefault();
              e.stopPropagation();
              setOver(true);
            }}
            onDragLeave={() => setOver(false)}
            onDrop={e => {
              setOver(false);
              const type = readDrag(e);
              if (!type) return;
              e.preventDefault();
              e.stopPropagation();
              callbacks.onInsert?.(at, type);
            }}
          >
            <button type="button" title="insert a step here" data-testid={`edge-insert-${source}-${target}`}
              onClick={e => { e.stopPropagation(); callbacks.onInsert?.(at, null); }}>+</button>
          </div>
        </EdgeLabelRenderer>
      ) : null}
    </>
  );
});

export const edgeTypes = { insert: InsertEdge };
