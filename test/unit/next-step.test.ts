import { describe, expect, it } from "vitest";
import { nextStep } from "@/lib/onboarding/next-step";
import { niceTicks } from "@/lib/usage/chart-scale";

describe("nextStep", () => {
  it("asks a new user for a key first, whatever else is true", () => {
    expect(nextStep({ activeKeys: 0, hasCalled: false, balance: 0n })).toBe("key");
    // Their only key was revoked: a key is the next step again.
    expect(nextStep({ activeKeys: 0, hasCalled: true, balance: 5_000_000n })).toBe("key");
  });
  it("then a call, then funds", () => {
    expect(nextStep({ activeKeys: 1, hasCalled: false, balance: 5_000_000n })).toBe("call");
    expect(nextStep({ activeKeys: 2, hasCalled: true, balance: 0n })).toBe("funds");
    expect(nextStep({ activeKeys: 1, hasCalled: true, balance: -1n })).toBe("funds");
  });
  it("is done once there is a key, a call and a balance", () => {
    expect(nextStep({ activeKeys: 1, hasCalled: true, balance: 1n })).toBeNull();
  });
});

describe("niceTicks", () => {
  it("rounds the top up to 1, 2 or 5 × 10^n in equal steps", () => {
    expect(niceTicks(162)).toEqual([0, 50, 100, 150, 200]);
    expect(niceTicks(7)).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(1_230_000)).toEqual([0, 500_000, 1_000_000, 1_500_000, 2_000_000]);
    expect(niceTicks(4)).toEqual([0, 1, 2, 3, 4]);
  });
  it("keeps whole steps for tiny maxima and an axis for empty charts", () => {
    expect(niceTicks(1)).toEqual([0, 1, 2, 3, 4]);
    expect(niceTicks(0)).toEqual([0, 1]);
  });
});
