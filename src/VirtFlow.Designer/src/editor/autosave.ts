/** A local copy of an unsaved edit: the text, and what it is based on (the ETag and kind read from the server). */
export interface LocalDraft {
  name: string;
  text: string;
  /** The ETag of the server copy the edit started from; null for a workflow not on the server yet. */
  baseETag: string | null;
  /** What that was: "draft", "published vN", or "new". */
  baseLabel: string;
  /** The server text it started from (to show both in a conflict after a restore). */
  baseText: string;
  savedAt: string;
}

const prefix = "virtflow.draft.";

/** Where the unsaved edits live: localStorage, so they survive a refresh, a closed tab and a crash of the tab. */
export const autosave = {
  key: (name: string) => prefix + name,
  read(name: string, storage: Storage = localStorage): LocalDraft | null {
    try {
      const raw = storage.getItem(prefix + name);
      if (!raw) return null;
      const d = JSON.parse(raw) as LocalDraft;
      return typeof d.text === "string" && d.name === name ? d : null;
    } catch {
      return null;
    }
  },
  write(draft: LocalDraft, storage: Storage = localStorage): boolean {
    try {
      storage.setItem(prefix + draft.name, JSON.stringify(draft));
      return true;
    } catch {
      return false;
    }
  },
  clear(name: string, storage: Storage = localStorage): void {
    try {
      storage.removeItem(prefix + name);
    } catch {
      /* storage unavailable: nothing to clear */
    }
  },
};

/** How often the editor writes the local copy when the text changed (the issue asks for 2 s or less). */
export const AUTOSAVE_INTERVAL_MS = 1000;
