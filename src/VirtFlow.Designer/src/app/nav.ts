/** The app's sections: the first path part and the label. designer-run's pages live in src/run/. */
export const sections = [
  { path: "workflows", label: "Workflows" },
  { path: "instances", label: "Instances" },
  { path: "hosts", label: "Hosts" },
  { path: "triggers", label: "Triggers" },
] as const;
