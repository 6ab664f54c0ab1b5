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
