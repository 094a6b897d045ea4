import { describe, expect, it } from "vitest";
import type { DashboardRow } from "$lib/ipc";
import { assigneeText, blockerChips, filterRows, openClaims, percent, sortRows, svgImage } from "./dashboard";
import { claimId, draftId } from "$lib/testing/ids";

function row(draft: number, title: string, overrides: Partial<DashboardRow> = {}): DashboardRow {
  return {
    draft: draftId(draft),
    title,
    path: `${title.toLowerCase()}.txt`,
    missing: false,
    status: "in-review",
    changed_since_ready: false,
    change_reason: null,
    claims: { total: 0, needs_corroboration: 0, corroborated: 0, disputed: 0, unverifiable: 0, cleared: 0 },
    needs_attention: 0,
    unnamed_share: 0,
    blockers: [],
    text_changed_at: "2026-12-01T05:00:00Z",
    status_bar_svg: "<svg/>",
    assignee: null,
    claim_assignees: [],
    ...overrides,
  };
}

const rows = [
  row(1, "Kabul", { status: "needs-work", claims: { total: 3, needs_corroboration: 1, corroborated: 1, disputed: 1, unverifiable: 0, cleared: 0 }, unnamed_share: 0.67, blockers: [{ rule: "unresolved-claim", message: "open", claim: claimId(1) }] }),
  row(2, "Budget", { status: "ready", text_changed_at: "2026-12-01T06:00:00Z" }),
  row(3, "Fire", { claims: { total: 1, needs_corroboration: 0, corroborated: 1, disputed: 0, unverifiable: 0, cleared: 0 } }),
];

describe("dashboard", () => {
  it("sorts by any column, ties by title", () => {
    expect(sortRows(rows, "title", false).map((r) => r.draft)).toEqual([2, 3, 1]);
    expect(sortRows(rows, "claims", true).map((r) => r.draft)).toEqual([1, 3, 2]);
    expect(sortRows(rows, "status", false).map((r) => r.draft)).toEqual([3, 1, 2]);
    expect(sortRows(rows, "changed", true)[0].draft).toBe(2);
    expect(sortRows(rows, "unnamed", true)[0].draft).toBe(1);
    expect(openClaims(rows[0])).toBe(2);
  });

  it("filters by words of the title or file, workflow status and blocked drafts", () => {
    expect(filterRows(rows, { text: "kab", status: "all", blockedOnly: false }).map((r) => r.draft)).toEqual([1]);
    expect(filterRows(rows, { text: "", status: "ready", blockedOnly: false }).map((r) => r.draft)).toEqual([2]);
    expect(filterRows(rows, { text: "", status: "all", blockedOnly: true }).map((r) => r.draft)).toEqual([1]);
  });

  it("sorts and finds drafts by their assignee", () => {
    const assigned = [row(1, "Kabul", { assignee: "Zoe" }), row(2, "Budget"), row(3, "Fire", { assignee: "ben" })];
    expect(sortRows(assigned, "assignee", false).map((r) => r.draft)).toEqual([2, 3, 1]);
    expect(filterRows(assigned, { text: "ben", status: "all", blockedOnly: false }).map((r) => r.draft)).toEqual([3]);
  });

  it("names whom a draft's claims are assigned to, with how many, not '–' (teamtry P8)", () => {
    const bo = { person: "bo", claims: 3 };
    const sue = { person: "sue", claims: 1 };
    expect(assigneeText(row(1, "Kabul"))).toBe("–");
    expect(assigneeText(row(1, "Kabul", { assignee: "eve" }))).toBe("eve");
    expect(assigneeText(row(1, "Kabul", { claim_assignees: [bo, sue] }))).toBe("bo (3 claims), sue (1 claim)");
    expect(assigneeText(row(1, "Kabul", { assignee: "eve", claim_assignees: [bo] }))).toBe("eve (the draft), bo (3 claims)");
    expect(assigneeText(row(1, "Kabul", { assignee: "bo", claim_assignees: [bo, sue] }))).toBe("bo (the draft and 3 claims), sue (1 claim)");
    const assigned = [row(1, "Kabul", { claim_assignees: [sue] }), row(2, "Budget"), row(3, "Fire", { claim_assignees: [bo] })];
    expect(sortRows(assigned, "assignee", false).map((r) => r.draft)).toEqual([2, 3, 1]);
    expect(filterRows(assigned, { text: "sue", status: "all", blockedOnly: false }).map((r) => r.draft)).toEqual([1]);
  });

  it("shows the core's SVG as an image and shares as percentages", () => {
    expect(svgImage('<svg><text>a & "b"</text></svg>')).toBe("data:image/svg+xml;charset=utf-8,%3Csvg%3E%3Ctext%3Ea%20%26%20%22b%22%3C%2Ftext%3E%3C%2Fsvg%3E");
    expect(percent(0.666)).toBe("67 %");
  });

  it("shows one chip per rule, in words, with how many findings it holds (usertest F6: four 'unresolved-claim' chips)", () => {
    const chips = blockerChips([
      { rule: "unresolved-claim", message: "claim 1 needs corroboration", claim: claimId(1) },
      { rule: "unresolved-claim", message: "claim 2 is disputed", claim: claimId(2) },
      { rule: "unnamed-needs-two-corroborations", message: "claim 4 rests on one source", claim: claimId(4) },
      { rule: "unresolved-claim", message: "claim 3 needs corroboration", claim: claimId(3) },
      { rule: "a-rule-this-window-does-not-know", message: "said by a newer core", claim: null },
    ]);
    expect(chips).toEqual([
      { rule: "unresolved-claim", text: "Unresolved claim ×3", title: "claim 1 needs corroboration\nclaim 2 is disputed\nclaim 3 needs corroboration" },
      { rule: "unnamed-needs-two-corroborations", text: "Two-source rule", title: "claim 4 rests on one source" },
      { rule: "a-rule-this-window-does-not-know", text: "a-rule-this-window-does-not-know", title: "said by a newer core" },
    ]);
  });
});
