import { describe, expect, it } from "vitest";
import { changeQuote, describeReviewChange } from "./publication";
import { claimId } from "$lib/testing/ids";

describe("describeReviewChange", () => {
  it("says each change since publication as a correction would", () => {
    expect(describeReviewChange({ change: "status-changed", claim: claimId(7), quote: "Taliban leaders", from: "corroborated", to: "disputed" })).toBe(
      "Status Corroborated → Disputed",
    );
    expect(describeReviewChange({ change: "source-linked", claim: claimId(7), quote: "q", descriptor: "a senior Western diplomat", role: "contradicts" })).toBe(
      "Source linked: a senior Western diplomat (contradicts)",
    );
    expect(describeReviewChange({ change: "claim-added", claim: claimId(9), quote: "q", status: "needs-corroboration" })).toBe("Claim added (Needs corroboration)");
    expect(describeReviewChange({ change: "note-added", claim: null, text: "Checked again", author: "factdesk" })).toBe(
      "Note on the draft by Factdesk (automatic): Checked again",
    );
    expect(describeReviewChange({ change: "editor-note-changed", from: "Old", to: "New" })).toBe("Editor's note changed");
    expect(describeReviewChange({ change: "editor-note-changed", from: null, to: "New" })).toBe("Editor's note added");
  });

  it("gives the quote of a change about a claim, none for the editor's note", () => {
    expect(changeQuote({ change: "claim-removed", claim: claimId(3), quote: "the meeting" })).toBe("the meeting");
    expect(changeQuote({ change: "editor-note-changed", from: null, to: "x" })).toBeNull();
  });
});
