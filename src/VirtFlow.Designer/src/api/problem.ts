/** An RFC 7807 problem as the VirtFlow API sends it. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: Record<string, string[]>;
  [extra: string]: unknown;
}

/** A refused or failed API call: `message` is one line for the user (status, title, the detail or first field error). */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem | null;

  constructor(status: number, problem: Problem | null, fallback: string) {
    super(ApiError.line(status, problem, fallback));
    this.name = "ApiError";
    this.status = status;
    this.problem = problem;
  }

  /** One line: `409 Conflict: If-Match: ...` (never a stack trace, never several lines). */
  static line(status: number, problem: Problem | null, fallback: string): string {
    const head = status > 0 ? `${status} ${problem?.title ?? ""}`.trim() : "network error";
    let body = problem?.detail ?? "";
    if (!body && problem?.errors) {
      const [field, messages] = Object.entries(problem.errors)[0] ?? [];
      if (field) body = `${field}: ${(messages ?? []).join("; ")}`;
    }
    if (!body) body = fallback;
    return `${head}: ${body}`.replace(/\s*[\r\n]+\s*/g, " ").trim();
  }
}
