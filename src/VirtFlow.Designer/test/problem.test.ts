import { describe, expect, it } from "vitest";
import { ApiError } from "../src/api/problem";

describe("ApiError", () => {
  it("is one line made of the status, the title and the detail", () => {
    const e = new ApiError(409, { title: "Conflict", detail: "If-Match: the draft changed\nsince you read it" }, "x");
    expect(e.message).toBe("409 Conflict: If-Match: the draft changed since you read it");
  });

  it("names the first field error when there is no detail", () => {
    const e = new ApiError(400, { title: "Bad Request", errors: { "inputs.vm": ["required"] } }, "x");
    expect(e.message).toBe("400 Bad Request: inputs.vm: required");
  });

  it("says the server did not answer on a network failure", () => {
    expect(new ApiError(0, null, "GET /api/me: the server did not answer").message).toBe("network error: GET /api/me: the server did not answer");
  });
});
