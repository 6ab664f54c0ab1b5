/** The drag payload of a palette item: a new step of this type. */
export const DRAG_MIME = "application/x-virtflow-step";

export interface InsertAt {
  /** The step whose slot receives the step; null for the workflow's top-level steps. */
  parent: string | null;
  slot: string;
  index: number;
}

export function readDrag(e: React.DragEvent): string | null {
  const type = e.dataTransfer.getData(DRAG_MIME) || e.dataTransfer.getData("text/plain");
  return type || null;
}

export function acceptsDrag(e: React.DragEvent): boolean {
  return Array.from(e.dataTransfer.types).some(t => t === DRAG_MIME || t === "text/plain");
}

/**
 * Drop-target props for an element that takes a palette item (an edge's "+", a group's slot): highlights while a
 * step is dragged over it and calls `onType` with the dropped step type.
 */
export function dropTarget(enabled: boolean, setOver: (over: boolean) => void, onType: (type: string) => void) {
  return {
    onDragOver: (e: React.DragEvent) => {
      if (!enabled || !acceptsDrag(e)) return;
      e.preventDefault();
      e.stopPropagation();
      setOver(true);
    },
    onDragLeave: () => setOver(false),
    onDrop: (e: React.DragEvent) => {
      setOver(false);
      const type = readDrag(e);
      if (!enabled || !type) return;
      e.preventDefault();
      e.stopPropagation();
      onType(type);
    },
  };
}
