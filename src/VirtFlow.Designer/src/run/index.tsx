// designer-run owns this folder (running and watching: start form, live instance view, instance list, hosts,
// triggers). App asks runRoute first for every path; return null to leave a path to the editor's pages.
import type { ReactNode } from "react";
import "./run.css";
import { HostsPage } from "./HostsPage";
import { InstanceList } from "./InstanceList";
import { InstanceView } from "./InstanceView";
import { StartForm } from "./StartForm";
import { TriggersPage } from "./TriggersPage";

/** `#/instances`, `#/instances/ID`, `#/start/WORKFLOW`, `#/hosts`, `#/triggers`. */
export function runRoute(parts: string[]): ReactNode | null {
  switch (parts[0]) {
    case "instances":
      return parts[1] ? <InstanceView key={parts[1]} id={parts[1]} /> : <InstanceList />;
    case "start":
      return parts[1] ? <StartForm key={parts[1]} workflow={parts[1]} /> : null;
    case "hosts":
      return <HostsPage />;
    case "triggers":
      return <TriggersPage />;
    default:
      return null;
  }
}
