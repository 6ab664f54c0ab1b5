import { useEffect, useState } from "react";

/** Monaco's chunk (monacoParts.ts): ~4 MB of script, fetched and compiled only when an editor is about to be shown. */
export type MonacoParts = typeof import("./monacoParts");

let loaded: MonacoParts | null = null;
let loading: Promise<MonacoParts> | null = null;

/** Loads Monaco's chunk once (the app also calls it while idle after sign-in). */
export function loadMonaco(): Promise<MonacoParts> {
  loading ??= import("./monacoParts").then(m => (loaded = m), e => {
    loading = null;
    throw e;
  });
  return loading;
}

/** Monaco's parts once loaded (null until then); `enabled` false waits before asking for them. */
export function useMonacoParts(enabled = true): MonacoParts | null {
  const [parts, setParts] = useState<MonacoParts | null>(loaded);
  useEffect(() => {
    if (!enabled || parts) return;
    let live = true;
    loadMonaco().then(m => { if (live) setParts(m); }, () => undefined);
    return () => {
      live = false;
    };
  }, [enabled, parts]);
  return parts;
}
