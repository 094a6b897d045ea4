import { describe, expect, it } from "vitest";
import type { ClaimView } from "$lib/ipc";
import { claimKey, countByStatus, needsAttention, orderClaims, stepClaim } from "./claims";

function claimView(id: number, start: number | null, overrides: Partial<ClaimView> = {}): ClaimView {
  return {
    id,
    draft: 1,
    status: "needs-corroboration",
    quote: `claim ${id}`,
    original_quote: `claim ${id}`,
    start,
    end: start === null ? null : start + 5,
    anchor: { state: "anchored", confidence: 1, candidates: [] },
    created_by: "ed",
    created_at: "2026-01-01T00:00:00Z",
    updated_by: "ed",
    updated_at: "2026-01-01T00:00:00Z",
    ...overrides,
  };
}

describe("claims", () => {
  it("flags ambiguous, orphaned and weak fuzzy claims for attention", () => {
    const anchor = (state: ClaimView["anchor"]["state"], confidence = 1) => ({ anchor: { state, confidence, candidates: [] } });
    expect(needsAttention(anchor("anchored"))).toBe(false);
    expect(needsAttention(anchor("moved"))).toBe(false);
    expect(needsAttention(anchor("fuzzy", 0.9))).toBe(false);
    expect(needsAttention(anchor("fuzzy", 0.79))).toBe(true);
    expect(needsAttention(anchor("ambiguous", 0))).toBe(true);
    expect(needsAttention(anchor("orphaned", 0))).toBe(true);
  });

  it("orders claims by position, unplaced ones last", () => {
    const ordered = orderClaims([claimView(1, 50), claimView(2, null), claimView(3, 10), claimView(4, null), claimView(5, 10, { end: 12 })]);
    expect(ordered.map((c) => c.id)).toEqual([5, 3, 1, 2, 4]);
  });

  it("counts claims by status", () => {
    const counts = countByStatus([claimView(1, 0), claimView(2, 0, { status: "disputed" }), claimView(3, 0)]);
    expect(counts).toEqual({ "needs-corroboration": 2, corroborated: 0, disputed: 1, unverifiable: 0, cleared: 0 });
  });

  it("steps through claims and stays at the ends", () => {
    const ordered = [claimView(1, 0), claimView(2, 10), claimView(3, 20)];
    expect(stepClaim(ordered, null, 1)).toBe(1);
    expect(stepClaim(ordered, null, -1)).toBe(3);
    expect(stepClaim(ordered, 1, 1)).toBe(2);
    expect(stepClaim(ordered, 3, 1)).toBe(3);
    expect(stepClaim(ordered, 1, -1)).toBe(1);
    expect(stepClaim([], null, 1)).toBeNull();
  });

  it("maps keys to claim actions, except while typing or with a modifier", () => {
    const key = (key: string, extra: Partial<KeyboardEvent> = {}) =>
      claimKey({ key, ctrlKey: false, metaKey: false, altKey: false, target: null, ...extra });
    expect(key("c")).toEqual({ kind: "tag" });
    expect(key("j")).toEqual({ kind: "step", step: 1 });
    expect(key("k")).toEqual({ kind: "step", step: -1 });
    expect(key("1")).toEqual({ kind: "status", status: "needs-corroboration" });
    expect(key("3")).toEqual({ kind: "status", status: "disputed" });
    expect(key("5")).toEqual({ kind: "status", status: "cleared" });
    expect(key("6")).toBeNull();
    expect(key("c", { ctrlKey: true })).toBeNull();
    const input = { closest: (selector: string) => (selector.includes("input") ? {} : null) } as unknown as EventTarget;
    expect(key("j", { target: input })).toBeNull();
  });
});
