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
