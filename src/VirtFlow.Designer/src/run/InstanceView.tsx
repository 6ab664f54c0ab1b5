import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { IfRole } from "../app/auth";
import { vf } from "../api/endpoints";
import type { StepNode } from "../api/types";
import { ErrorLine } from "../shared/ErrorLine";
import { applyAll, fromDetail, percent, type LiveState } from "./liveState";
import { WorkflowGraph } from "../graph/WorkflowGraph";
import type { StepDecoration } from "../graph/nodes";
import { runApi } from "./runApi";
import type { InstanceDetail, LiveEvent } from "./runTypes";
import { useLiveStream } from "./useLiveStream";

/** The journal is redrawn at most this often: a catch-up of thousands of lines mounts the last few hundred once, not every line. */
const JOURNAL_REDRAW_MS = 250;

/** `value`, passed on at once and then at most once per `ms` (the last one always comes). */
function useThrottled<T>(value: T, ms: number): T {
  const [shown, setShown] = useState(value);
  const last = useRef(0);
  const timer = useRef<number | null>(null);
  const latest = useRef(value);
  latest.current = value;
  useEffect(() => {
    if (timer.current !== null) return;
    const wait = last.current + ms - performance.now();
    if (wait <= 0) {
      last.current = performance.now();
      setShown(value);
      return;
    }
    timer.current = window.setTimeout(() => {
      timer.current = null;
      last.current = performance.now();
      setShown(latest.current);
    }, wait);
  }, [value, ms]);
  useEffect(() => () => { if (timer.current !== null) window.clearTimeout(timer.current); }, []);
  return shown;
}

/** `HH:MM:SS.mmm` (UTC) of a journal line: the server trims trailing zeros (`…45.75+00:00`), so the text cannot be cut at fixed places. */
function clock(at: string): string {
  const t = new Date(at);
  return Number.isNaN(t.getTime()) ? at : t.toISOString().slice(11, 23);
}

const ended = (status: string) => status === "completed" || status === "faulted" || status === "cancelled";

/** One instance, live: the graph coloured by step state, a progress bar per disk, the journal, cancel and retry from a step. */
export function InstanceView({ id }: { id: string }) {
  const [detail, setDetail] = useState<InstanceDetail | null>(null);
  const [graph, setGraph] = useState<StepNode[] | null>(null);
  const [live, setLive] = useState<LiveState | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [retryFrom, setRetryFrom] = useState<string>("");

  const load = useCallback(async () => {
    const d = await runApi.instance(id);
    setDetail(d);
    setLive(old => {
      const fresh = fromDetail(d);
      return old ? { ...old, status: fresh.status, fault: fresh.fault, steps: { ...old.steps, ...fresh.steps } } : fresh;
    });
    return d;
  }, [id]);

  useEffect(() => {
    load()
      .then(async d => {
        const doc = d.version ? await vf.version(d.workflow, d.version) : (await vf.workflow(d.workflow)).doc;
        setGraph(doc.steps ?? []);
      })
      .catch(setError);
  }, [load]);

  // Lines are queued and applied in one batch per animation frame (a stream of thousands of lines renders a few
  // times, not once per line); lines that arrive before the detail is read wait for it.
  const queue = useRef<LiveEvent[]>([]);
  const frame = useRef<number | null>(null);
  const loaded = useRef(false);
  loaded.current = live !== null;
  const flush = useCallback(() => {
    frame.current = null;
    if (!loaded.current || queue.current.length === 0) return;
    const batch = queue.current;
    queue.current = [];
    setLive(s => (s ? applyAll(s, batch) : s));
  }, []);
  const onEvent = useCallback((e: LiveEvent) => {
    queue.current.push(e);
    if (frame.current === null) frame.current = requestAnimationFrame(flush);
  }, [flush]);
  useEffect(() => {
    if (live && queue.current.length > 0 && frame.current === null) frame.current = requestAnimationFrame(flush);
  }, [live, flush]);
  useEffect(() => () => { if (frame.current !== null) cancelAnimationFrame(frame.current); }, []);
  // A retry continues an instance whose stream has ended: a new epoch opens it again, after the last line seen.
  const [epoch, setEpoch] = useState(0);
  const { state: stream, reconnects } = useLiveStream(id, onEvent, () => void load().catch(setError), epoch);

  async function act(action: () => Promise<unknown>) {
    setError(null);
    try {
      await action();
      await load();
    } catch (e) {
      setError(e);
    }
  }

  // Each step of the graph with its state (waiting until it starts); a vm.waitReady step shows its slowest disk's copy.
  // A step whose state did not change keeps its decoration object, so a batch of lines redraws only the steps it
  // changed (a 2,000-step instance's catch-up otherwise redrew every node at each batch).
  const previous = useRef(new Map<string, StepDecoration>());
  const decorations = useMemo(() => {
    const map = new Map<string, StepDecoration>();
    if (!graph || !live) return map;
    const slowest = Object.values(live.disks).reduce<number | null>((m, d) => Math.min(m ?? 100, percent(d)), null);
    const before = previous.current;
    const walk = (list: StepNode[]) => {
      for (const s of list) {
        const status = live.steps[s.id] ?? "waiting";
        const progress = s.type === "vm.waitReady" ? slowest : null;
        const old = before.get(s.id);
        map.set(s.id, old && old.status === status && old.progress === progress ? old : { status, progress });
        for (const c of s.children) walk(c.steps);
      }
    };
    walk(graph);
    previous.current = map;
    return map;
  }, [graph, live]);

  const journal = useThrottled(live?.journal ?? null, JOURNAL_REDRAW_MS);

  if (!detail || !live) return error ? <ErrorLine error={error} /> : <p>Loading…</p>;
  const status = live.status;
  const disks = Object.values(live.disks).sort((a, b) => a.device.localeCompare(b.device));
  const faultedStep = detail.steps.find(s => s.status === "faulted")?.id ?? "";
  return (
    <section className="instance-view" data-testid="instance-view">
      <header className="instance-head">
        <h2>
          {detail.workflow} <small>v{detail.version ?? "?"}</small> <span className={`status status-${status}`} data-testid="instance-status">{status}</span>
        </h2>
        <span className={`stream stream-${stream}`} data-testid="stream-state" title={`${reconnects} reconnect(s)`}>{stream}</span>
        <IfRole role="operator">
          {!ended(status) && <button type="button" onClick={() => act(() => runApi.cancel(id))} data-testid="cancel">Cancel</button>}
          {status === "faulted" && (
            <span className="retry">
              <select value={retryFrom || faultedStep} onChange={e => setRetryFrom(e.target.value)} data-testid="retry-from">
                {detail.steps.map(s => <option key={s.path} value={s.id}>{s.path}</option>)}
              </select>
              <button type="button" onClick={() => act(async () => { await runApi.retry(id, retryFrom || null); setEpoch(n => n + 1); })} data-testid="retry">Retry from step</button>
            </span>
          )}
        </IfRole>
      </header>
      {live.fault && <div className="error-line" data-testid="instance-fault">{live.fault}</div>}
      <ErrorLine error={error} />
      {disks.length > 0 && (
        <div className="disks" data-testid="disk-progress">
          {disks.map(d => (
            <div key={d.device} className="disk" data-testid={`disk-${d.device}`}>
              <span className="device">{d.device}</span>
              <progress max={100} value={percent(d)} data-percent={percent(d).toFixed(0)} />
              <span className="pct">{percent(d).toFixed(0)}%</span>
            </div>
          ))}
        </div>
      )}
      <div className="instance-body">
        {graph ? (
          <div className="run-graph" data-testid="run-graph">
            <WorkflowGraph steps={graph} decorations={decorations} onSelect={stepId => stepId && setRetryFrom(stepId)} />
          </div>
        ) : <p>Loading the graph…</p>}
        <ol className="journal" data-testid="journal">
          {(ended(live.status) ? live.journal : journal ?? live.journal).slice(-300).map(e => (
            <li key={e.seq} className={`kind-${e.kind}`} data-seq={e.seq}>
              <time>{clock(e.at)}</time> <b>{e.kind}</b> {e.step && <code>{e.step}</code>} {e.message}
            </li>
          ))}
        </ol>
      </div>
    </section>
  );
}
