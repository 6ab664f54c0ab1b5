import { ApiError } from "../api/problem";
import { get, post, query } from "../api/client";
import type { HostInfo, InstanceDetail, InstancePage, PreflightPlan, VmInfo } from "./runTypes";

const enc = encodeURIComponent;

export interface InstanceFilter {
  status?: string;
  workflow?: string;
  vm?: string;
  host?: string;
  since?: string;
  until?: string;
}

/** The running side of the API: starts, dry runs, instances, hosts, schedules and triggers. */
export const runApi = {
  start: (workflow: string, inputs: Record<string, unknown>) =>
    post<{ id: string }>("/api/instances", { json: { workflow, inputs } }).then(r => r.data),
  dryRun: (workflow: string, inputs: Record<string, unknown>) =>
    post<PreflightPlan>("/api/instances?dryRun=true", { json: { workflow, inputs } }).then(r => r.data),
  list: (filter: InstanceFilter, limit: number, cursor: string | null) =>
    get<InstancePage>(`/api/instances${query({ ...filter, limit, cursor })}`).then(r => r.data),
  instance: (id: string) => get<InstanceDetail>(`/api/instances/${enc(id)}`).then(r => r.data),
  cancel: (id: string) => post<{ id: string; status: string }>(`/api/instances/${enc(id)}/cancel`, { json: {} }).then(r => r.data),
  retry: (id: string, fromStep: string | null) =>
    post<{ id: string; fromStep: string; status: string }>(`/api/instances/${enc(id)}/retry`, { json: fromStep ? { fromStep } : {} }).then(r => r.data),
  hosts: () => get<HostInfo[]>("/api/hosts").then(r => r.data),
  vm: (host: string, vm: string) => get<VmInfo>(`/api/hosts/${enc(host)}/vms/${enc(vm)}`).then(r => r.data),
  /** A list endpoint that may not exist on this server yet: null on 404 (the page says "not available on this server"). */
  optionalList: async (path: string): Promise<Record<string, unknown>[] | null> => {
    try {
      const data = (await get<unknown>(path)).data;
      if (Array.isArray(data)) return data as Record<string, unknown>[];
      // GET /api/schedules answers { items: [...] }, GET /api/triggers { triggers: [...], conflicts: [...] }
      const body = data as { items?: unknown; triggers?: unknown } | null;
      const items = body?.items ?? body?.triggers;
      return Array.isArray(items) ? (items as Record<string, unknown>[]) : [];
    } catch (e) {
      if (e instanceof ApiError && (e.status === 404 || e.status === 405)) return null;
      throw e;
    }
  },
  scheduleAction: (id: string, action: "pause" | "resume" | "trigger") =>
    post<unknown>(`/api/schedules/${enc(id)}/${action}`, { json: {} }).then(r => r.data),
};
