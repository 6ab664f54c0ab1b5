/** Where the API key lives: sessionStorage, so it goes with the tab and is never written to disk by the app. */
const KEY = "virtflow.apiKey";

export const session = {
  get(): string | null {
    try {
      return sessionStorage.getItem(KEY);
    } catch {
      return null;
    }
  },
  set(key: string): void {
    sessionStorage.setItem(KEY, key);
  },
  clear(): void {
    sessionStorage.removeItem(KEY);
  },
};

/**
 * A key handed over in the address (`#key=vf_...`, as `./build.sh demo` prints it) signs the tab in: it moves into
 * sessionStorage and leaves the address at once (history.replaceState), so it stays out of the history and bookmarks.
 */
export function takeKeyFromAddress(): void {
  const m = /^#key=([A-Za-z0-9_.\-]{1,512})$/.exec(window.location.hash);
  if (!m) return;
  session.set(m[1]);
  window.history.replaceState(null, "", window.location.pathname + window.location.search + "#/");
}
