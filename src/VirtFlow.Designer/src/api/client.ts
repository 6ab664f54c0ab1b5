import { ApiError, type Problem } from "./problem";
import { session } from "./session";

export interface ApiResponse<T> {
  status: number;
  data: T;
  etag: string | null;
  headers: Headers;
}

export interface RequestOptions {
  /** A JSON body (sent as application/json) or a YAML text (sent as application/yaml). */
  json?: unknown;
  yaml?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** The key to use instead of the session's (the sign-in page checks a key before keeping it). */
  key?: string;
}

/** Called when the API answers 401 to a request made with the session's key (the key was revoked or expired). */
let onUnauthorized: (() => void) | null = null;
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  onUnauthorized = handler;
}

/** The API's base: same origin as the page (the designer is served by `virtflow server`). */
export function apiBase(): string {
  return "";
}

/**
 * Calls the VirtFlow API with the API key as `X-Api-Key` (docs/api.md "Authentication and roles").
 * A non-2xx answer throws an {@link ApiError} whose message is one line made from the problem details.
 */
export async function api<T>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
  const key = options.key ?? session.get();
  const headers: Record<string, string> = { Accept: "application/json, application/problem+json", ...options.headers };
  if (key) headers["X-Api-Key"] = key;
  let body: BodyInit | undefined;
  if (options.yaml !== undefined) {
    headers["Content-Type"] = "application/yaml";
    body = options.yaml;
  } else if (options.json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(options.json);
  }
  let response: Response;
  try {
    response = await fetch(apiBase() + path, { method, headers, body, signal: options.signal });
  } catch (e) {
    if (e instanceof DOMException && e.name === "AbortError") throw e;
    throw new ApiError(0, null, `${method} ${path}: the server did not answer (${e instanceof Error ? e.message : String(e)})`);
  }
  const text = await response.text();
  const type = response.headers.get("Content-Type") ?? "";
  let parsed: unknown = null;
  if (text && type.includes("json")) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
  } else if (text) {
    parsed = text;
  }
  if (!response.ok) {
    if (response.status === 401 && options.key === undefined) onUnauthorized?.();
    const problem = parsed !== null && typeof parsed === "object" ? (parsed as Problem) : null;
    throw new ApiError(response.status, problem, `${method} ${path} failed`);
  }
  return { status: response.status, data: parsed as T, etag: response.headers.get("ETag"), headers: response.headers };
}

export const get = <T>(path: string, options?: RequestOptions) => api<T>("GET", path, options);
export const post = <T>(path: string, options?: RequestOptions) => api<T>("POST", path, options);
export const put = <T>(path: string, options?: RequestOptions) => api<T>("PUT", path, options);
export const del = <T>(path: string, options?: RequestOptions) => api<T>("DELETE", path, options);

/** `?a=1&b=x` from the defined values. */
export function query(params: Record<string, string | number | boolean | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : "";
}
