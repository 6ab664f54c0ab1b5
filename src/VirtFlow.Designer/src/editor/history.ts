/**
 * Undo/redo of the workflow text. Each edit pushes the text before it; edits with the same `group` within
 * `coalesceMs` (typing in one field, or in the YAML editor) are one step.
 */
export class TextHistory {
  private undoStack: string[] = [];
  private redoStack: string[] = [];
  private lastGroup: string | null = null;
  private lastAt = 0;

  constructor(private readonly coalesceMs = 1200, private readonly limit = 500) {}

  /** Records that `before` was replaced by a new text. */
  record(before: string, group: string | null, now = Date.now()): void {
    const coalesce = group !== null && group === this.lastGroup && now - this.lastAt < this.coalesceMs;
    if (!coalesce) {
      this.undoStack.push(before);
      if (this.undoStack.length > this.limit) this.undoStack.shift();
    }
    this.redoStack = [];
    this.lastGroup = group;
    this.lastAt = now;
  }

  undo(current: string): string | null {
    const previous = this.undoStack.pop();
    if (previous === undefined) return null;
    this.redoStack.push(current);
    this.lastGroup = null;
    return previous;
  }

  redo(current: string): string | null {
    const next = this.redoStack.pop();
    if (next === undefined) return null;
    this.undoStack.push(current);
    this.lastGroup = null;
    return next;
  }

  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }

  get canRedo(): boolean {
    return this.redoStack.length > 0;
  }

  clear(): void {
    this.undoStack = [];
    this.redoStack = [];
    this.lastGroup = null;
  }
}
