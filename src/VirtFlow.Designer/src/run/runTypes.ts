// The shapes of the running side of the API (docs/api.md "Instances", "Hosts", "Preflight", "Live updates").

export type InstanceStatus = "running" | "suspended" | "completed" | "faulted" | "cancelled";

export interface InstanceListItem {
  id: string;
  workflow: string;
  version: number | null;
  status: InstanceStatus;
  correlationId: string | null;
  vm: string | null;
  host: string | null;
  fault: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface InstancePage {
  items: InstanceListItem[];
  nextCursor: string | null;
}

export interface DiskProgress {
  device: string;
  jobId: string | null;
  offset: number;
  length: number;
  percent?: number;
  at?: string;
}

export interface StepState {
  path: string;
  id: string;
  type: string;
  status: string;
  attempts: number;
  startedAt: string | null;
  completedAt: string | null;
  error: { message: string; code: string | null; step: string | null } | null;
  progress: DiskProgress[] | null;
}

export interface InstanceDetail {
  id: string;
  workflow: string;
  version: number | null;
  status: InstanceStatus;
  correlationId: string | null;
  inputs: Record<string, unknown> | null;
  outputs: Record<string, unknown> | null;
  fault: string | null;
  createdAt: string;
  updatedAt: string;
  steps: StepState[];
}

/** One journal line as the live stream sends it. */
export interface LiveEvent {
  seq: number;
  instanceId: string;
  at: string;
  kind: string;
  step: string | null;
  message: string | null;
  data: Record<string, unknown> | null;
}

export interface PlannedDisk {
  device: string;
  currentFile: string | null;
  virtualSize: number | null;
  format: string | null;
  target: string;
  targetFormat: string | null;
  storageRoot: string | null;
  targetExists: boolean | null;
  freeBytes: number | null;
}

export interface PreflightPlan {
  workflow: string;
  version: number;
  host: string | null;
  vm: string | null;
  quiesce: string | null;
  lockKey: string | null;
  lockHolder: string | null;
  qemuVersion: string | null;
  runState: string | null;
  guestAgentAnswers: boolean | null;
  disks: PlannedDisk[];
  problems: string[];
}

export interface HostInfo {
  hostId: string;
  workerId: string | null;
  version: string | null;
  online: boolean;
  lastSeen: string | null;
  vms: { name: string; connected: boolean }[];
}

export interface VmInfo {
  qemuVersion: string | null;
  runState: string | null;
  disks: { device: string; node: string | null; file: string | null; virtualSize: number | null; format: string | null; hasJob: boolean }[];
  jobs: { id: string; type: string; status: string; progress?: number; error?: string | null }[];
  leaseId: string | null;
}
