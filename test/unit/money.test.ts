import { describe, expect, it } from "vitest";
import { displayUsd, formatUsd, parseUsd } from "@/lib/money";

describe("money", () => {
  it("parses dollar strings exactly into micro-dollars", () => {
    expect(parseUsd("10")).toBe(10_000_000n);
    expect(parseUsd("0.15")).toBe(150_000n);
    expect(parseUsd("-0.000118")).toBe(-118n);
    expect(parseUsd("+2.5")).toBe(2_500_000n);
    expect(parseUsd(" 1.000001 ")).toBe(1_000_001n);
    expect(parseUsd("90071992547409.931999")).toBe(90_071_992_547_409_931_999n);
  });

  it("refuses what is not an exact amount", () => {
    for (const bad of ["", "ten", "1.0000001", "1e3", "1,5", ".5", "--1", "0x10"]) expect(() => parseUsd(bad), bad).toThrow();
  });

  it("formats with six decimals and round-trips", () => {
    expect(formatUsd(9_999_882n)).toBe("9.999882");
    expect(formatUsd(0n)).toBe("0.000000");
    expect(formatUsd(-118n)).toBe("-0.000118");
    for (const v of [0n, 1n, -1n, 123_456_789n, -5_000_000n]) expect(parseUsd(formatUsd(v))).toBe(v);
  });

  it("displays for people", () => {
    expect(displayUsd(0n)).toBe("$0.00");
    expect(displayUsd(12_500_000n)).toBe("$12.50");
    expect(displayUsd(9_999_882n)).toBe("$9.999882");
    expect(displayUsd(-1_000_000n)).toBe("-$1.00");
  });
});
