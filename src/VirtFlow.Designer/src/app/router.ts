import { useEffect, useState } from "react";

/**
 * Hash routing (`#/workflows/copy-disks-pivot`): works from any path the server serves the app under, needs no
 * server rewrite. `useRoute()` gives the path's parts; `navigate("/x")` changes it.
 */
export function currentPath(): string {
  const hash = window.location.hash.replace(/^#/, "");
  return hash.startsWith("/") ? hash : "/" + hash;
}

export function navigate(path: string): void {
  window.location.hash = path;
}

export function useRoute(): { path: string; parts: string[] } {
  const [path, setPath] = useState(currentPath);
  useEffect(() => {
    const onChange = () => setPath(currentPath());
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  const clean = path.split("?")[0] ?? "/";
  return { path, parts: clean.split("/").filter(Boolean).map(decodeURIComponent) };
}

/** `#/path` for an href. */
export function href(path: string): string {
  return "#" + path;
}
