import { useEffect, useRef, useState } from "react";
import { session } from "../api/session";
import type { LiveEvent } from "./runTypes";

export type StreamState = "connecting" | "live" | "reconnecting" | "ended";

/**
 * Follows `/api/instances/{id}/stream` with an EventSource (the key as `?access_token=`, the one way an EventSource can
 * send it). After a dropped connection the browser reconnects by itself and sends `Last-Event-ID`, so the server goes on
 * after the last line this page saw: nothing lost, nothing twice (the page also ignores a sequence it has seen).
 * `event: dropped` (the server let a slow client go) reconnects with `?after=` the last sequence seen.
 */
export function useLiveStream(id: string, onEvent: (e: LiveEvent) => void, onEnd: () => void): { state: StreamState; reconnects: number } {
  const [state, setState] = useState<StreamState>("connecting");
  const [reconnects, setReconnects] = useState(0);
  const handlers = useRef({ onEvent, onEnd });
  handlers.current = { onEvent, onEnd };

  useEffect(() => {
    let source: EventSource | null = null;
    let last = 0;
    let closed = false;
    const open = (after: number) => {
      const key = session.get() ?? "";
      const q = new URLSearchParams({ access_token: key });
      if (after > 0) q.set("after", String(after));
      source = new EventSource(`/api/instances/${encodeURIComponent(id)}/stream?${q}`);
      source.onopen = () => setState("live");
      source.onmessage = m => {
        const e = JSON.parse(m.data) as LiveEvent;
        if (e.seq > last) last = e.seq;
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
        if (!closed) open(last);
      });
      source.onerror = () => {
        if (closed) return;
        setState("reconnecting");
        setReconnects(n => n + 1);
      };
    };
    open(0);
    return () => {
      closed = true;
      source?.close();
    };
  }, [id]);

  return { state, reconnects };
}
