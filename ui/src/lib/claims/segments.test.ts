import { describe, expect, it } from "vitest";
import { placedClaims, segmentBlock, type PlacedClaim } from "./segments";

const claim = (id: number, start: number, end: number, status: PlacedClaim["status"] = "needs-corroboration"): PlacedClaim => ({ id, status, start, end });
const view = (segments: ReturnType<typeof segmentBlock>) => segments.map((s) => [s.text, s.claims.map((c) => c.id)]);

describe("segmentBlock", () => {
  it("leaves a block without claims as one plain piece", () => {
    expect(view(segmentBlock({ start: 10, end: 15, text: "Hello" }, []))).toEqual([["Hello", []]]);
    expect(segmentBlock({ start: 0, end: 0, text: "" }, [claim(1, 0, 3)])).toEqual([]);
  });

  it("marks a claim inside a block at its code-point offsets", () => {
    const segments = segmentBlock({ start: 100, end: 121, text: "The mayor said it was" }, [claim(1, 104, 109)]);
    expect(view(segments)).toEqual([["The ", []], ["mayor", [1]], [" said it was", []]]);
    expect(segments[1]).toMatchObject({ start: 104, end: 109 });
  });

  it("counts curly quotes and emoji as one code point each", () => {
    // "“Yes” 🎉 we won": the emoji is two UTF-16 units but one code point.
    const text = "“Yes” 🎉 we won";
    const start = 50;
    // code points: “0 Y1 e2 s3 ”4 space5 🎉6 space7 w8 e9 space10 w11 o12 n13
    const segments = segmentBlock({ start, end: start + 14, text }, [claim(1, start + 6, start + 10), claim(2, start, start + 5)]);
    expect(view(segments)).toEqual([["“Yes”", [2]], [" ", []], ["🎉 we", [1]], [" won", []]]);
    expect(segments.map((s) => s.text).join("")).toBe(text);
  });

  it("cuts overlapping claims at every edge, shortest claim first, newest on a tie", () => {
    const segments = segmentBlock({ start: 0, end: 12, text: "abcdefghijkl" }, [claim(1, 0, 8), claim(2, 4, 12), claim(3, 5, 6)]);
    expect(view(segments)).toEqual([
      ["abcd", [1]],
      ["e", [2, 1]],
      ["f", [3, 2, 1]],
      ["gh", [2, 1]],
      ["ijkl", [2]],
    ]);
  });

  it("clips a claim spanning a block boundary to each block", () => {
    const spanning = claim(7, 8, 16);
    const first = segmentBlock({ start: 0, end: 10, text: "First one." }, [spanning]);
    const second = segmentBlock({ start: 11, end: 22, text: "Second one." }, [spanning]);
    expect(view(first)).toEqual([["First on", []], ["e.", [7]]]);
    expect(view(second)).toEqual([["Secon", [7]], ["d one.", []]]);
  });

  it("ignores claims outside the block or empty", () => {
    expect(view(segmentBlock({ start: 20, end: 25, text: "Hello" }, [claim(1, 0, 20), claim(2, 25, 30), claim(3, 22, 22)]))).toEqual([["Hello", []]]);
  });
});

describe("placedClaims", () => {
  it("keeps only claims with a place", () => {
    const claims = [
      { id: 1, status: "disputed" as const, start: 3, end: 9 },
      { id: 2, status: "cleared" as const, start: null, end: null },
    ];
    expect(placedClaims(claims)).toEqual([{ id: 1, status: "disputed", start: 3, end: 9 }]);
  });
});

describe("segmentBlock with suggestions", () => {
  it("lays suggestions under claims: a claim wins where both cover the text", () => {
    const block = { start: 10, end: 30, text: "One two three four." };
    const suggestion = { start: 10, end: 29, quote: "One two three four." };
    const segments = segmentBlock(block, [{ id: 1, status: "disputed", start: 14, end: 17 }], [suggestion]);
    expect(segments.map((s) => [s.text, s.claims.map((c) => c.id), s.suggestion?.quote ?? null])).toEqual([
      ["One ", [], "One two three four."],
      ["two", [1], null],
      [" three four.", [], "One two three four."],
    ]);
  });

  it("leaves text outside every suggestion plain", () => {
    const segments = segmentBlock({ start: 0, end: 9, text: "Ab. Cd ef" }, [], [{ start: 4, end: 9 }]);
    expect(segments.map((s) => [s.text, s.suggestion !== undefined])).toEqual([
      ["Ab. ", false],
      ["Cd ef", true],
    ]);
  });
});
