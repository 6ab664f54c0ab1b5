import { useCallback, useEffect, useState } from "react";
import { IfRole } from "../app/auth";
import { ErrorLine } from "../shared/ErrorLine";
import { runApi } from "./runApi";

type Row = Record<string, unknown>;
/** The last firing as "time outcome" (a ScheduleFiring of the API: scheduledTime, outcome). */
const lastFiring = (v: unknown) => {
  const f = v as { scheduledTime?: unknown; outcome?: unknown } | null | undefined;
  return f ? `${text(f.scheduledTime)} ${text(f.outcome)}` : "";
};
const text = (v: unknown) => (v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v));

/**
 * Schedules (`/api/schedules`: pause, resume, trigger now) and message triggers (`/api/triggers`). A server without
 * those endpoints (404) shows "not available on this server".
 */
export function TriggersPage() {
  const [schedules, setSchedules] = useState<Row[] | null | undefined>(undefined);
  const [triggers, setTriggers] = useState<Row[] | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(() => {
    runApi.optionalList("/api/schedules").then(setSchedules).catch(setError);
    runApi.optionalList("/api/triggers").then(setTriggers).catch(setError);
  }, []);
  useEffect(load, [load]);

  async function act(id: string, action: "pause" | "resume" | "trigger") {
    setError(null);
    try {
      await runApi.scheduleAction(id, action);
      load();
    } catch (e) {
      setError(e);
    }
  }

  return (
    <section className="triggers-page" data-testid="triggers-page">
      <h2>Schedules</h2>
      <ErrorLine error={error} />
      {schedules === null && <p data-testid="schedules-unavailable">Schedules are not available on this server.</p>}
      {schedules && (
        <table className="grid" data-testid="schedules-table">
          <thead><tr><th>schedule</th><th>workflow</th><th>cron</th><th>next</th><th>last</th><th>state</th><th /></tr></thead>
          <tbody>
            {schedules.map(s => {
              const id = text(s.id ?? s.name);
              const paused = s.paused === true || s.state === "paused";
              return (
                <tr key={id} data-testid={`schedule-${id}`}>
                  <td>{id}</td><td>{text(s.workflow)}</td><td>{text(s.cron)} {text(s.timeZone)}</td><td>{text(s.nextFiring)}</td><td>{lastFiring(s.lastFiring)}</td>
                  <td>{paused ? `paused${s.pauseNote ? ` (${text(s.pauseNote)})` : ""}` : "active"}</td>
                  <td>
                    <IfRole role="operator">
                      {paused ? <button type="button" onClick={() => act(id, "resume")}>Resume</button> : <button type="button" onClick={() => act(id, "pause")}>Pause</button>}
                      <button type="button" onClick={() => act(id, "trigger")}>Trigger now</button>
                    </IfRole>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <h2>Message triggers</h2>
      {triggers === null && <p data-testid="triggers-unavailable">Message triggers are not available on this server.</p>}
      {triggers && (
        <table className="grid" data-testid="triggers-table">
          <thead><tr><th>message type</th><th>workflow</th><th>queue</th><th>accepted</th><th>duplicate</th><th>rejected</th></tr></thead>
          <tbody>
            {triggers.map((t, i) => (
              <tr key={i} data-testid={`trigger-${text(t.messageType)}`}>
                <td>{text(t.messageType)}</td><td>{text(t.workflow)} v{text(t.version)}</td><td>{text(t.queue)}</td>
                <td>{text(t.accepted)}</td><td>{text(t.duplicate)}</td><td>{text(t.rejected)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
