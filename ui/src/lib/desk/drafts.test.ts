import { describe, expect, it } from "vitest";
import type { DraftSummary } from "$lib/ipc";
import {
  badgeFor,
  displayTitle,
  fileName,
  formatLabel,
  formatVersions,
  formatWords,
  listedDrafts,
  neighbourDraft,
  problemDrafts,
} from "./drafts";
import { draftId } from "$lib/testing/ids";

function draft(id: number, path: string, overrides: Partial<DraftSummary> = {}): DraftSummary {
  return { id: draftId(id), path, title: `Draft ${id}`, format: "markdown", words: 10, state: "ok", reason: null, missing: false, ...overrides };
}

describe("listedDrafts", () => {
  it("leaves ignored files out and sorts by path, numbers in numeric order", () => {
    const drafts = [
      draft(1, "b.md"),
      draft(2, "a10.md"),
      draft(3, ".a.md.swp", { state: "ignored" }),
      draft(4, "a2.md"),
      draft(5, "Desk/c.md"),
    ];
    expect(listedDrafts(drafts).map((d) => d.path)).toEqual(["a2.md", "a10.md", "b.md", "Desk/c.md"]);
  });

  it("keeps missing and skipped drafts", () => {
    const drafts = [draft(1, "gone.md", { missing: true }), draft(2, "noise.md", { state: "skipped" })];
    expect(listedDrafts(drafts)).toHaveLength(2);
  });

  it("does not reorder the array it was given", () => {
    const drafts = [draft(1, "b.md"), draft(2, "a.md")];
    listedDrafts(drafts);
    expect(drafts.map((d) => d.id)).toEqual([1, 2]);
  });
});

describe("problemDrafts", () => {
  it("lists warned and skipped files only", () => {
    const drafts = [
      draft(1, "ok.md"),
      draft(2, "lossy.txt", { state: "warning", reason: "invalid UTF-8 replaced" }),
      draft(3, "random.md", { state: "skipped", reason: "binary content" }),
      draft(4, "x~", { state: "ignored", reason: "backup file" }),
    ];
    expect(problemDrafts(drafts).map((d) => d.id)).toEqual([2, 3]);
  });
});

describe("badgeFor", () => {
  it("has no badge for a readable draft", () => {
    expect(badgeFor(draft(1, "a.md"))).toBeNull();
  });

  it("carries the reason of a warning", () => {
    expect(badgeFor(draft(1, "a.txt", { state: "warning", reason: "invalid UTF-8 replaced" }))).toEqual({
      kind: "warning",
      label: "warning",
      reason: "invalid UTF-8 replaced",
    });
  });

  it("still explains a skipped file that came without a reason", () => {
    expect(badgeFor(draft(1, "a.md", { state: "skipped" }))?.reason).toMatch(/could not be read/);
  });
});

describe("labels", () => {
  it("takes the file name from a nested path", () => {
    expect(fileName("politics/2024/kabul.md")).toBe("kabul.md");
    expect(fileName("kabul.md")).toBe("kabul.md");
  });

  it("falls back to the file name for a draft without a title", () => {
    expect(displayTitle(draft(1, "notes/empty.md", { title: "  " }))).toBe("empty.md");
  });

  it("counts words and versions in words", () => {
    expect(formatWords(1)).toBe("1 word");
    expect(formatWords(1234)).toBe("1,234 words");
    expect(formatVersions(1)).toBe("1 version seen");
    expect(formatVersions(3)).toBe("3 versions seen");
  });

  it("names formats for people", () => {
    expect(formatLabel("markdown")).toBe("Markdown");
    expect(formatLabel("text")).toBe("Plain text");
    expect(formatLabel("html")).toBe("HTML");
    expect(formatLabel("docx")).toBe("Word document");
    expect(formatLabel("odt")).toBe("OpenDocument text");
    expect(formatLabel(null)).toBe("Unknown format");
  });
});

describe("neighbourDraft", () => {
  const drafts = [draft(7, "a.md"), draft(3, "b.md"), draft(9, "c.md")];

  it("moves down and up and stops at the ends", () => {
    expect(neighbourDraft(drafts, draftId(7), "ArrowDown")).toBe(3);
    expect(neighbourDraft(drafts, draftId(9), "ArrowDown")).toBe(9);
    expect(neighbourDraft(drafts, draftId(3), "ArrowUp")).toBe(7);
    expect(neighbourDraft(drafts, draftId(7), "ArrowUp")).toBe(7);
  });

  it("jumps to the first and last", () => {
    expect(neighbourDraft(drafts, draftId(3), "Home")).toBe(7);
    expect(neighbourDraft(drafts, draftId(3), "End")).toBe(9);
  });

  it("starts from an end when nothing is selected", () => {
    expect(neighbourDraft(drafts, null, "ArrowDown")).toBe(7);
    expect(neighbourDraft(drafts, null, "ArrowUp")).toBe(9);
  });

  it("has nowhere to go in an empty list", () => {
    expect(neighbourDraft([], null, "ArrowDown")).toBeNull();
  });
});
