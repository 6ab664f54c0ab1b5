import { memo, useMemo, useState } from "react";
import type { ActivityInfo } from "../api/types";
import { DRAG_MIME } from "../graph/dnd";
import { groupTypes } from "../model/stepTree";

const groupDescriptions: Record<string, string> = {
  sequence: "Runs its steps one after another.",
  parallel: "Runs every branch at once; done when all are.",
  forEach: "Runs its steps for each item of a list.",
  if: "Runs 'then' when the condition is truthy, else 'else'.",
  switch: "Runs the steps of the first matching case, else 'default'.",
  while: "Repeats its steps while the condition is truthy.",
  try: "Runs its steps; on a fault 'catch'; always 'finally'.",
};

interface Item {
  type: string;
  description: string;
  category: string;
}

/**
 * The activity catalog (from /api/schema) and the control-flow steps, with search. Drag an item onto the graph (an
 * edge, a group's slot, the canvas), or click it to insert at the chosen place.
 */
export const Palette = memo(function Palette({ activities, disabled, onPick, target }: {
  activities: ActivityInfo[];
  disabled: boolean;
  onPick: (type: string) => void;
  target: string;
}) {
  const [search, setSearch] = useState("");
  const items = useMemo<Item[]>(() => [
    ...groupTypes.map(t => ({ type: t, description: groupDescriptions[t] ?? "", category: "control flow" })),
    ...activities.map(a => ({ type: a.type, description: a.description, category: a.category || "activities" })),
  ], [activities]);
  const shown = useMemo(() => {
    const q = search.trim().toLowerCase();
    return q ? items.filter(i => i.type.toLowerCase().includes(q) || i.description.toLowerCase().includes(q) || i.category.toLowerCase().includes(q)) : items;
  }, [items, search]);
  const categories = useMemo(() => [...new Set(shown.map(i => i.category))], [shown]);

  return (
    <aside className="palette" data-testid="palette">
      <input type="search" placeholder="Search activities" value={search} onChange={e => setSearch(e.target.value)} data-testid="palette-search" />
      {!disabled ? <div className="palette-target" data-testid="palette-target">Click inserts {target}</div> : null}
      <div className="palette-list">
        {categories.map(c => (
          <div key={c}>
            <div className="palette-category">{c}</div>
            {shown.filter(i => i.category === c).map(i => (
              <button
                type="button"
                key={i.type}
                className="palette-item"
                title={i.description}
                disabled={disabled}
                draggable={!disabled}
                data-testid={`palette-item-${i.type}`}
                onDragStart={e => {
                  e.dataTransfer.setData(DRAG_MIME, i.type);
                  e.dataTransfer.setData("text/plain", i.type);
                  e.dataTransfer.effectAllowed = "copy";
                }}
                onClick={() => onPick(i.type)}
              >
                <span className="palette-type">{i.type}</span>
                <span className="palette-desc">{i.description}</span>
              </button>
            ))}
          </div>
        ))}
        {shown.length === 0 ? <p className="muted">Nothing matches “{search}”.</p> : null}
      </div>
    </aside>
  );
});
