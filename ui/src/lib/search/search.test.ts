import { describe, expect, it } from "vitest";
import type { SearchHit } from "$lib/ipc";
import { NO_FILTERS, activeFilters, groupHits, hitTarget, searchQuery, shownOrder, snippetPieces } from "./search";
import { claimId, draftId } from "$lib/testing/ids";

function hit(kind: SearchHit["kind"], id: number, score: number, overrides: Partial<SearchHit> = {}): SearchHit {
  return {
    kind,
    id,
    draft: kind === "source" ? null : draftId(1),
    draft_path: kind === "source" ? null : "kabul-embassy.txt",
    claim: kind === "claim" ? claimId(id) : null,
    snippet: { text: `hit ${id}`, highlights: [] },
    score,
    passage: null,
    ...overrides,
  };
}

describe("search", () => {
  it("groups hits by kind in a fixed order, best first within each group", () => {
    const groups = groupHits([hit("source", 4, 1), hit("claim", 2, 3), hit("draft", 1, 2), hit("claim", 3, 5)]);
    expect(groups.map((g) => g.kind)).toEqual(["draft", "claim", "source"]);
    expect(groups[1].hits.map((h) => h.id)).toEqual([3, 2]);
    expect(shownOrder(groups).map((h) => `${h.kind}${h.id}`)).toEqual(["draft1", "claim3", "claim2", "source4"]);
  });

  it("cuts a snippet at its highlights counting code points", () => {
    // "𝕏" is two UTF-16 units and one code point, as the core counts.
    const pieces = snippetPieces({ text: "𝕏 the Taliban’s embassy", highlights: [{ start: 6, end: 15 }, { start: 16, end: 23 }] });
    expect(pieces).toEqual([
      { text: "𝕏 the ", match: false },
      { text: "Taliban’s", match: true },
      { text: " ", match: false },
      { text: "embassy", match: true },
    ]);
    // Spans out of range or overlapping do not break the text.
    expect(snippetPieces({ text: "abc", highlights: [{ start: 1, end: 9 }, { start: 0, end: 2 }] }).map((p) => p.text).join("")).toBe("abc");
  });

  it("opens a claim, a note or evidence on a claim at the claim; a draft at its passage; a source in the register", () => {
    expect(hitTarget(hit("claim", 7, 1))).toEqual({ kind: "claim", draft: 1, claim: 7 });
    expect(hitTarget(hit("evidence", 2, 1, { claim: claimId(7) }))).toEqual({ kind: "claim", draft: 1, claim: 7 });
    expect(hitTarget(hit("note", 3, 1))).toEqual({ kind: "draft", draft: 1, passage: null, pane: "draft" });
    expect(hitTarget(hit("draft", 1, 1, { passage: { start: 4, end: 9 } }))).toEqual({
      kind: "draft",
      draft: 1,
      passage: { start: 4, end: 9 },
      pane: "claims",
    });
    expect(hitTarget(hit("source", 4, 1))).toEqual({ kind: "sources" });
  });
});

describe("search filters", () => {
  it("asks the core for the whole desk when nothing is chosen", () => {
    expect(searchQuery("embassy", NO_FILTERS)).toEqual({
      text: "embassy", kinds: [], claim_statuses: [], attributions: [], workflow: [], draft: null, since: null, until: null, limit: 50, assignee: null,
    });
    expect(activeFilters(NO_FILTERS)).toBe(0);
  });

  it("narrows by kind, claim status, the draft's workflow status, the open draft, a start day and an assignee", () => {
    const filters = { kind: "claim", claimStatus: "disputed", workflow: "ready", draft: draftId(7), since: "2026-11-30", assignee: " Dana " } as const;
    expect(searchQuery("embassy", filters)).toMatchObject({
      kinds: ["claim"], claim_statuses: ["disputed"], workflow: ["ready"], draft: 7, since: "2026-11-30", assignee: "Dana",
    });
    expect(activeFilters(filters)).toBe(6);
    // Spaces alone in the assignee field name nobody: no filter.
    expect(searchQuery("embassy", { ...NO_FILTERS, assignee: "  " }).assignee).toBeNull();
    expect(activeFilters({ ...NO_FILTERS, assignee: "  " })).toBe(0);
    // A day half typed in the date field is no filter yet.
    expect(searchQuery("embassy", { ...NO_FILTERS, since: "2026-11" }).since).toBeNull();
  });
});
