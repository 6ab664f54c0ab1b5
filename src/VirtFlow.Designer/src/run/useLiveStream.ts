import { useEffect, useRef, useState } from "react";
import { session } from "../api/session";
import type { LiveEvent } from "./runTypes";

export type StreamState = "connecting" | "live" | "reconnecting" | "ended";

/**
 * Follows `/api/instances/{id}/stream` with an EventSource (the key as `?access_token=`, the one way an EventSource can
 * send it). After a dropped connection the browser reconnects by itself and sends `Last-Event-ID`, so the server goes on
 * after the last line this page saw: nothing lost, nothing twice (the page also ignores a sequence it has seen).
 * `event: dropped` (the server let a slow client go) reconnects with `?after=` the last sequence seen.
 * The stream ends with the instance; a new `epoch` (after a retry continued the ended instance) opens it again after
 * the last sequence seen.
 */
export function useLiveStream(id: string, onEvent: (e: LiveEvent) => void, onEnd: () => void, epoch = 0): { state: StreamState; reconnects: number } {
  const [state, setState] = useState<StreamState>("connecting");
  const [reconnects, setReconnects] = useState(0);
  const handlers = useRef({ onEvent, onEnd });
  handlers.current = { onEvent, onEnd };
  // The last sequence seen, by instance: kept across epochs, so a reopened stream goes on where the ended one stopped.
  const seen = useRef({ id, last: 0 });
  if (seen.current.id !== id) seen.current = { id, last: 0 };

  useEffect(() => {
    let source: EventSource | null = null;
    const position = seen.current;
    let closed = false;
    const open = (after: number) => {
      const key = session.get() ?? "";
      const q = new URLSearchParams({ access_token: key });
      if (after > 0) q.set("after", String(after));
      source = new EventSource(`/api/instances/${encodeURIComponent(id)}/stream?${q}`);
      source.onopen = () => setState("live");
      source.onmessage = m => {
        const e = JSON.parse(m.data) as LiveEvent;
        if (e.seq > position.last) position.last = e.seq;
        handlers.current.onEvent(e);
      };
      source.addEventListener("end", () => {
        closed = true;
        source?.close();
        setState("ended");
        handlers.current.onEnd();
      });
      source.addEventListener("dropped", () => {
        source?.close();
        setReconnects(n => n + 1);
        if (!closed) open(position.last);
      });
      source.onerror = () => {
        if (closed) return;
        setState("reconnecting");
        setReconnects(n => n + 1);
      };
    };
    setState("connecting");
    open(position.last);
    return () => {
      closed = true;
      source?.close();
    };
  }, [id, epoch]);

  return { state, reconnects };
}
