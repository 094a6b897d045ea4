import { describe, expect, it } from "vitest";
import type { ClaimView } from "$lib/ipc";
import { actorName, attentionActions, changeSentence, countByStatus, needsAttention, orderClaims, stepClaim, textBetween } from "./claims";
import { unnamedReviewer } from "./unnamed-reviewer.svelte";
import { claimId, draftId } from "$lib/testing/ids";

function claimView(id: number, start: number | null, overrides: Partial<ClaimView> = {}): ClaimView {
  return {
    id: claimId(id),
    draft: draftId(1),
    status: "needs-corroboration",
    quote: `claim ${id}`,
    original_quote: `claim ${id}`,
    start,
    end: start === null ? null : start + 5,
    anchor: { state: "anchored", confidence: 1, candidates: [] },
    needs_attention: false,
    attribution: { kind: "none", from: "wording", cue: null },
    created_by: "ed",
    created_at: "2026-01-01T00:00:00Z",
    updated_by: "ed",
    updated_at: "2026-01-01T00:00:00Z",
    version: 1,
    ...overrides,
  };
}

describe("claims", () => {
  it("takes the core's word on which claims need attention", () => {
    expect(needsAttention(claimView(1, null, { needs_attention: true }))).toBe(true);
    // A fuzzy claim the reviewer accepted is no longer flagged, whatever its confidence.
    expect(needsAttention(claimView(2, 0, { needs_attention: false, anchor: { state: "fuzzy", confidence: 0.5, candidates: [] } }))).toBe(false);
  });

  it("offers the actions that fit the claim's anchor state", () => {
    const candidates = [{ start: 0, end: 5, score: 0.9 }, { start: 20, end: 25, score: 0.9 }];
    expect(attentionActions(claimView(1, 0))).toBeNull();
    expect(attentionActions(claimView(1, 0, { needs_attention: true, anchor: { state: "fuzzy", confidence: 0.6, candidates: [] } }))).toEqual({
      accept: true,
      choose: [],
      reattach: true,
      keepDetached: true,
    });
    expect(attentionActions(claimView(1, null, { needs_attention: true, anchor: { state: "ambiguous", confidence: 0.9, candidates } }))).toEqual({
      accept: false,
      choose: candidates,
      reattach: true,
      keepDetached: true,
    });
    expect(attentionActions(claimView(1, null, { needs_attention: true, anchor: { state: "orphaned", confidence: 0, candidates: [] } }))?.accept).toBe(false);
  });

  it("cuts candidate text from the blocks by code points", () => {
    const blocks = [
      { start: 0, end: 8, text: "A 🐘 met." },
      { start: 10, end: 19, text: "It is 🐘s." },
    ];
    expect(textBetween(blocks, 2, 3)).toBe("🐘");
    expect(textBetween(blocks, 4, 7)).toBe("met");
    expect(textBetween(blocks, 16, 18)).toBe("🐘s");
    expect(textBetween(blocks, 4, 15)).toBe("met. It is");
    expect(textBetween(blocks, 30, 40)).toBe("");
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
    expect(stepClaim(ordered, claimId(1), 1)).toBe(2);
    expect(stepClaim(ordered, claimId(3), 1)).toBe(3);
    expect(stepClaim(ordered, claimId(1), -1)).toBe(1);
    expect(stepClaim([], null, 1)).toBeNull();
  });
});

describe("actorName", () => {
  it("names the core's automatic changes as Factdesk's, not a person's", () => {
    expect(actorName("factdesk")).toBe("Factdesk (automatic)");
  });

  it("keeps a reviewer's name as recorded", () => {
    expect(actorName("Ana")).toBe("Ana");
    expect(actorName("Factdesk Desk")).toBe("Factdesk Desk");
    expect(actorName(null)).toBe("");
  });

  it("reads the computer's login recorded before a name was set as you, and only it", () => {
    unnamedReviewer.login = "root";
    try {
      expect(actorName("root")).toBe("you");
      expect(actorName("Ana")).toBe("Ana");
      expect(changeSentence({ sentence: "Set to Corroborated by root", actor: "root" })).toBe("Set to Corroborated by you");
      expect(changeSentence({ sentence: "Set to Disputed by Ana", actor: "Ana" })).toBe("Set to Disputed by Ana");
    } finally {
      unnamedReviewer.login = null;
    }
    // A name given (or a team store's login): the recorded name as it is.
    expect(actorName("root")).toBe("root");
    expect(changeSentence({ sentence: "Set to Corroborated by root", actor: "root" })).toBe("Set to Corroborated by root");
  });
});
