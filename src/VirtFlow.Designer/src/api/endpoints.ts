import { get, post, put, query } from "./client";
import type {
  DraftSaved, Me, Published, SchemaDocument, Validation, WorkflowDiff, WorkflowDocument, WorkflowSummary,
} from "./types";

const enc = encodeURIComponent;

/** Typed calls of the API the editor uses (docs/api.md "Workflows"). designer-run adds its own beside this file. */
export const vf = {
  me: (key?: string) => get<Me>("/api/me", key === undefined ? {} : { key }).then(r => r.data),
  schema: () => get<SchemaDocument>("/api/schema").then(r => r.data),
  workflows: () => get<WorkflowSummary[]>("/api/workflows").then(r => r.data),
  /** The draft if there is one, else the published version; with its ETag. Reading never changes the workflow. */
  workflow: (name: string) => get<WorkflowDocument>(`/api/workflows/${enc(name)}`).then(r => ({ doc: r.data, etag: r.etag ?? r.data.eTag })),
  version: (name: string, version: number) => get<WorkflowDocument>(`/api/workflows/${enc(name)}/versions/${version}`).then(r => r.data),
  /** Saves a draft: `If-Match: etag`, or `If-None-Match: *` for a new workflow (etag null). 409/412 throw an ApiError. */
  saveDraft: (name: string, yaml: string, etag: string | null) =>
    put<DraftSaved>(`/api/workflows/${enc(name)}/draft`, { yaml, headers: etag ? { "If-Match": etag } : { "If-None-Match": "*" } }).then(r => r.data),
  publish: (name: string, etag?: string) =>
    post<Published>(`/api/workflows/${enc(name)}/publish`, etag ? { headers: { "If-Match": etag } } : {}).then(r => r.data),
  diff: (name: string, from: string, to: string) => get<WorkflowDiff>(`/api/workflows/${enc(name)}/diff${query({ from, to })}`).then(r => r.data),
  validate: (yaml: string, file?: string, signal?: AbortSignal) =>
    post<Validation>(`/api/validate${query({ file })}`, signal ? { yaml, signal } : { yaml }).then(r => r.data),
};
