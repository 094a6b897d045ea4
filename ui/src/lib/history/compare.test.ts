import { describe, expect, it } from "vitest";
import type { ClaimMark, VersionSummary } from "$lib/ipc";
import { comparePieces, defaultPair, describePlacements, formatBytes, versionLabel } from "./compare";
import { claimId, versionId } from "$lib/testing/ids";

const mark = (claim: number, start: number, end: number): ClaimMark => ({ claim: claimId(claim), status: "disputed", state: "anchored", start, end });

describe("comparePieces", () => {
  it("cuts at changes and claims, in code points", () => {
    const text = "Zoë said 🎉 300 jobs would go.";
    const start = Array.from(text).indexOf("3");
    const pieces = comparePieces({ text, changed: [{ start, end: start + 3 }], claims: [mark(7, 0, start + 8)] });
    expect(pieces.map((p) => [p.text, p.changed, p.claims.map((c) => c.claim)])).toEqual([
      ["Zoë said 🎉 ", false, [7]],
      ["300", true, [7]],
      [" jobs", false, [7]],
      [" would go.", false, []],
    ]);
  });

  it("keeps the whole text when nothing changed and no claim is there", () => {
    expect(comparePieces({ text: "Plain.", changed: [], claims: [] })).toEqual([{ text: "Plain.", changed: false, claims: [] }]);
    expect(comparePieces({ text: "", changed: [], claims: [] })).toEqual([]);
  });

  it("puts the shortest of overlapping claims on top and ignores spans past the end", () => {
    const pieces = comparePieces({ text: "abcdef", changed: [{ start: 4, end: 99 }], claims: [mark(1, 0, 6), mark(2, 2, 3)] });
    expect(pieces.map((p) => [p.text, p.changed, p.claims.map((c) => c.claim)])).toEqual([
      ["ab", false, [1]],
      ["c", false, [2, 1]],
      ["d", false, [1]],
      ["ef", true, [1]],
    ]);
  });
});

const version = (id: number, number: number, current = false): VersionSummary => ({
  id: versionId(id),
  number,
  current,
  seen_at: "2026-11-29T08:00:00Z",
  words: 10,
  characters: 60,
  bytes: 60,
  claims: { anchored: 1, moved: 0, fuzzy: 0, ambiguous: 0, orphaned: 0 },
  claims_displaced: 0,
});

describe("history labels", () => {
  it("compares the last edit by default", () => {
    expect(defaultPair([version(4, 1), version(9, 2), version(12, 3, true)])).toEqual({ from: 9, to: 12 });
    expect(defaultPair([version(4, 1, true)])).toEqual({ from: 4, to: 4 });
    expect(defaultPair([])).toBeNull();
    // After a revert the current version is an older one: compare it with the one before it.
    expect(defaultPair([version(4, 1), version(9, 2, true), version(12, 3)])).toEqual({ from: 4, to: 9 });
  });

  it("says what an edit did to the claims", () => {
    expect(describePlacements({ anchored: 3, moved: 0, fuzzy: 0, ambiguous: 0, orphaned: 0 })).toBe("");
    expect(describePlacements({ anchored: 0, moved: 2, fuzzy: 1, ambiguous: 1, orphaned: 1 })).toBe("2 moved, 1 edited, 1 ambiguous, 1 lost");
    expect(versionLabel({ number: 2, current: true })).toBe("Version 2 (current)");
    expect(formatBytes(1)).toBe("1 byte");
    expect(formatBytes(7450)).toBe("7.5 KB");
  });
});
