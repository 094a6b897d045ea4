import { describe, expect, it } from "vitest";
import type { DocumentMarks, TrackedChange } from "$lib/ipc";
import { byline, documentDate, insertionNotice } from "./tracked";
import { segmentBlock } from "$lib/claims/segments";

const insertion: TrackedChange = { kind: "insertion", start: 18, end: 21, text: "6-1", author: "Ana Ruiz", date: "2026-11-30T09:12:00Z" };
const deletion: TrackedChange = { kind: "deletion", start: 18, end: 18, text: "5-2", author: "Ana Ruiz", date: "2026-11-30T09:12:00Z" };
const marks: DocumentMarks = { links: [], changes: [deletion, insertion], comments: [] };

describe("documentDate", () => {
  it("reads Word's and LibreOffice's dates as they are written", () => {
    expect(documentDate("2026-11-30T09:12:00Z")).toBe("30 Nov 2026, 09:12");
    expect(documentDate("2026-11-30T09:12:31.123456789")).toBe("30 Nov 2026, 09:12");
    expect(documentDate("2026-01-05")).toBe("5 Jan 2026");
    expect(documentDate(null)).toBe("");
    expect(documentDate("yesterday")).toBe("yesterday");
  });

  it("names an unknown author", () => {
    expect(byline({ author: " ", date: null })).toBe("Unknown author");
    expect(byline(insertion)).toBe("Ana Ruiz · 30 Nov 2026, 09:12");
  });
});

describe("insertionNotice", () => {
  it("says when a claim lies in a tracked insertion", () => {
    expect(insertionNotice({ start: 18, end: 21 }, marks)).toBe(
      "Inside a tracked insertion (Ana Ruiz · 30 Nov 2026, 09:12), not yet accepted in the document.",
    );
    expect(insertionNotice({ start: 4, end: 30 }, marks)).toMatch(/^Partly inside/);
    expect(insertionNotice({ start: 0, end: 17 }, marks)).toBeNull();
    expect(insertionNotice({ start: null, end: null }, marks)).toBeNull();
    expect(insertionNotice({ start: 18, end: 21 }, null)).toBeNull();
  });
});

describe("segmentBlock with tracked changes", () => {
  const block = { start: 0, end: 40, text: "The council voted 6-1 on Tuesday to fund" };

  it("cuts insertions out as pieces and puts deletions, textless, where their text was", () => {
    const segments = segmentBlock(block, [], [], marks.changes);
    expect(segments.map((s) => [s.text, s.insertion?.text ?? null, s.deletion?.text ?? null])).toEqual([
      ["The council voted ", null, null],
      ["", null, "5-2"],
      ["6-1", "6-1", null],
      [" on Tuesday to fund", null, null],
    ]);
    expect(segments.map((s) => s.text).join("")).toBe(block.text);
  });

  it("keeps claims over an insertion and a deletion at the end of a block", () => {
    const atEnd: TrackedChange = { ...deletion, start: 40, end: 40, text: " it" };
    const segments = segmentBlock(block, [{ id: 1, status: "unverifiable", start: 12, end: 21 }], [], [insertion, atEnd]);
    expect(segments.filter((s) => s.claims.length > 0).map((s) => s.text)).toEqual(["voted ", "6-1"]);
    expect(segments.find((s) => s.text === "6-1")?.insertion).toEqual(insertion);
    expect(segments[segments.length - 1].deletion?.text).toBe(" it");
  });
});
