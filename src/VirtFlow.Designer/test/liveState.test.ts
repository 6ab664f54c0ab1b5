import { describe, expect, it } from "vitest";
import { applyAll, type LiveState } from "../src/run/liveState";
import type { LiveEvent } from "../src/run/runTypes";

const line = (seq: number, kind: string, step: string | null, message: string | null = null): LiveEvent =>
  ({ seq, instanceId: "i", at: "2026-12-07T11:00:00.000Z", kind, step, message, data: null });

const faulted: LiveState = {
  status: "faulted",
  fault: "step 'reject': no verdict",
  steps: { prepare: "completed", answer: "completed", check: "faulted", reject: "faulted" },
  disks: {},
  journal: [],
  lastSeq: 14,
};

describe("applyAll", () => {
  it("after InstanceRetried the instance runs again, its fault and its faulted steps gone, completed steps kept", () => {
    const s = applyAll(faulted, [line(15, "InstanceRetried", "answer", "retried from step 'answer'"), line(16, "StepStarted", "answer")]);
    expect(s.status).toBe("running");
    expect(s.fault).toBeNull();
    expect(s.steps).toEqual({ prepare: "completed", answer: "running" });
  });

  it("ignores lines it has seen", () => {
    expect(applyAll(faulted, [line(14, "InstanceRetried", "answer")])).toBe(faulted);
  });
});
