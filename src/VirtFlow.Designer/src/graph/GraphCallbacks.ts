import { createContext } from "react";
import type { InsertAt } from "./dnd";

/** What the graph's nodes and edges call; onInsert is absent in a read-only graph (the live view). */
export interface GraphCallbackSet {
  /** Insert a step of `type` at `at`; type null: the user chose the place first (the editor asks the palette). */
  onInsert?: ((at: InsertAt, type: string | null) => void) | undefined;
}

export const GraphCallbacks = createContext<GraphCallbackSet>({});
