// The shapes of the VirtFlow HTTP API (docs/api.md), camelCase as the server sends them.

export type Role = "viewer" | "operator" | "admin";
export const roles: readonly Role[] = ["viewer", "operator", "admin"];

/** `GET /api/me`: who the key is and what it may. */
export interface Me {
  name: string;
  role: Role;
}

export interface Diagnostic {
  severity: "error" | "warning";
  message: string;
  file: string;
  line: number;
  column: number;
  limit: boolean;
  text: string;
}

export interface WorkflowVersionInfo {
  version: number;
  definitionHash: string;
  publishedBy: string;
  publishedAt: string;
  source: string | null;
}

export interface WorkflowDraftInfo {
  eTag: string;
  savedBy: string;
  savedAt: string;
  baseVersion: number;
}

export interface WorkflowSummary {
  name: string;
  publishedVersion: number | null;
  eTag: string;
  versions: WorkflowVersionInfo[];
  draft: WorkflowDraftInfo | null;
}

export interface StepBranch {
  slot: string;
  steps: StepNode[];
}

export interface StepNode {
  id: string;
  type: string;
  name: string | null;
  explicitId: boolean;
  line: number | null;
  column: number | null;
  children: StepBranch[];
}

export interface WorkflowInputInfo {
  name: string;
  type: string;
  required: boolean;
  default: unknown;
  description: string | null;
  enum: string[] | null;
  items: Record<string, unknown> | null;
  line: number | null;
  column: number | null;
}

export interface WorkflowDocument {
  name: string;
  kind: "draft" | "published";
  version: number | null;
  publishedVersion: number | null;
  eTag: string;
  yaml: string;
  definitionHash: string | null;
  description: string | null;
  steps: StepNode[] | null;
  inputs: WorkflowInputInfo[] | null;
  diagnostics: Diagnostic[];
  versions: WorkflowVersionInfo[];
  draft: WorkflowDraftInfo | null;
}

export interface DraftSaved {
  name: string;
  eTag: string;
  savedBy: string;
  savedAt: string;
  baseVersion: number;
  valid: boolean;
  diagnostics: Diagnostic[];
}

export interface Published {
  name: string;
  version: number;
  definitionHash: string;
  publishedBy: string;
  publishedAt: string;
  eTag: string;
  diagnostics: Diagnostic[];
}

export interface StepChanges {
  added: string[];
  removed: string[];
  changed: string[];
}

export interface WorkflowDiff {
  name: string;
  from: string;
  to: string;
  unified: string;
  steps: StepChanges | null;
}

export interface Validation {
  valid: boolean;
  errors: number;
  warnings: number;
  diagnostics: Diagnostic[];
}

export interface ActivityInput {
  name: string;
  type: string;
  description: string;
  required: boolean;
  default: unknown;
  enum: string[] | null;
  items: Record<string, unknown> | null;
}

export interface ActivityOutput {
  name: string;
  type: string;
  description: string;
}

export interface ActivityInfo {
  type: string;
  description: string;
  category: string;
  inputs: ActivityInput[];
  outputs: ActivityOutput[];
  allowsExtraInputs: boolean;
}

export interface SchemaDocument {
  schema: Record<string, unknown>;
  activities: ActivityInfo[];
}
