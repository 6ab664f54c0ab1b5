import type { DiskProgress, InstanceDetail, LiveEvent } from "./runTypes";

/** The step states the view colours. */
export type StepColour = "waiting" | "running" | "completed" | "faulted" | "skipped" | "cancelled";

/** What the live view shows, folded from the instance's detail and its journal lines. */
export interface LiveState {
  status: string;
  fault: string | null;
  /** By step id (the last segment of a path, without a loop index): its colour. */
  steps: Record<string, StepColour>;
  /** By device: the last progress of its copy. */
  disks: Record<string, DiskProgress>;
  journal: LiveEvent[];
  lastSeq: number;
}

/** `loop[2]/copy` → `copy`. */
export function stepId(path: string | null | undefined): string | null {
  if (!path) return null;
  const last = path.split("/").pop() ?? path;
  return last.replace(/\[\d+\]$/, "");
}

export function colourOf(status: string): StepColour {
  switch (status.toLowerCase()) {
    case "running":
    case "suspended":
      return "running";
    case "completed":
      return "completed";
    case "faulted":
      return "faulted";
    case "skipped":
      return "skipped";
    case "cancelled":
      return "cancelled";
    default:
      return "waiting";
  }
}

export function fromDetail(detail: InstanceDetail): LiveState {
  const steps: Record<string, StepColour> = {};
  const disks: Record<string, DiskProgress> = {};
  for (const s of detail.steps) {
    const id = stepId(s.path) ?? s.id;
    steps[id] = merge(steps[id], colourOf(s.status));
    for (const p of s.progress ?? []) disks[p.device] = p;
  }
  return { status: detail.status, fault: detail.fault, steps, disks, journal: [], lastSeq: 0 };
}

// Several executions of one step (a forEach): running wins, then faulted, then the last.
function merge(old: StepColour | undefined, next: StepColour): StepColour {
  if (old === "running" || next === "running") return "running";
  if (old === "faulted" || next === "faulted") return "faulted";
  return next;
}

const kinds: Record<string, StepColour> = {
  StepStarted: "running",
  StepSuspended: "running",
  Resumed: "running",
  StepCompleted: "completed",
  StepFaulted: "faulted",
  StepSkipped: "skipped",
  StepCancelled: "cancelled",
};

const ends: Record<string, string> = { InstanceCompleted: "completed", InstanceFaulted: "faulted", InstanceCancelled: "cancelled" };

/** The state after one journal line (a line seen already, by its sequence, changes nothing). */
export function apply(state: LiveState, e: LiveEvent, keepJournal = 2000): LiveState {
  return applyAll(state, [e], keepJournal);
}

/**
 * The state after a batch of journal lines, in order (lines seen already, by their sequence, change nothing). One copy
 * of the state per batch, so a stream of thousands of lines costs one render per batch, not one per line.
 */
export function applyAll(state: LiveState, events: LiveEvent[], keepJournal = 2000): LiveState {
  const fresh = events.filter(e => e.seq > state.lastSeq);
  if (fresh.length === 0) return state;
  const next: LiveState = { ...state, steps: { ...state.steps }, disks: { ...state.disks } };
  for (const e of fresh) {
    if (e.seq <= next.lastSeq) continue;
    next.lastSeq = e.seq;
    const id = stepId(e.step);
    const colour = kinds[e.kind];
    if (id && colour) next.steps[id] = colour;
    if (e.kind === "Progress" && e.data && typeof e.data.device === "string") {
      const d = e.data as unknown as DiskProgress;
      next.disks[d.device] = { device: d.device, jobId: d.jobId ?? null, offset: Number(d.offset) || 0, length: Number(d.length) || 0, at: e.at };
    }
    if (e.kind === "InstanceStarted" || e.kind === "Resumed") next.status = "running";
    if (e.kind === "InstanceRetried") {
      // The failed run's ends are gone from the instance: the steps it continues from are reset and colour again as
      // they run; one the retried run does not reach (a branch not taken now) is no longer shown faulted.
      next.status = "running";
      next.fault = null;
      for (const [step, colour] of Object.entries(next.steps)) if (colour === "faulted" || colour === "cancelled") delete next.steps[step];
    }
    if (ends[e.kind]) {
      next.status = ends[e.kind]!;
      if (e.kind !== "InstanceCompleted") next.fault = e.message;
    }
  }
  next.journal = [...state.journal, ...fresh].slice(-keepJournal);
  return next;
}

export function percent(d: DiskProgress): number {
  if (typeof d.percent === "number") return d.percent;
  return d.length > 0 ? Math.min(100, (100 * d.offset) / d.length) : 0;
}
