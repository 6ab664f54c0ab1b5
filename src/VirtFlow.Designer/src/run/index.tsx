// designer-run owns this folder (running and watching: start form, live instance view, instance list, hosts,
// triggers). App asks runRoute first for every path; return null to leave a path to the editor's pages.
import type { ReactNode } from "react";

export function runRoute(parts: string[]): ReactNode | null {
  switch (parts[0]) {
    case "instances":
      return <p data-testid="instances-page">Instances</p>;
    case "hosts":
      return <p data-testid="hosts-page">Hosts</p>;
    case "triggers":
      return <p data-testid="triggers-page">Triggers</p>;
    default:
      return null;
  }
}
