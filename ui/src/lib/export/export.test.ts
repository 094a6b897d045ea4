import { describe, expect, it } from "vitest";
import { FORMATS, formatChoice, reportFileName } from "./export";

describe("reportFileName", () => {
  it("names a draft's report after its file", () => {
    expect(reportFileName({ kind: "draft", path: "kabul-embassy.txt" }, "html", "desk")).toBe("kabul-embassy-review.html");
    expect(reportFileName({ kind: "draft", path: "news/Harbor Dredging.md" }, "pdf", "desk")).toBe("harbor-dredging-review.pdf");
  });

  it("names a desk's report after its folder", () => {
    expect(reportFileName({ kind: "desk", folder: "/home/amina/drafts/" }, "csv", "desk")).toBe("drafts-desk-review.csv");
    expect(reportFileName({ kind: "desk", folder: "C:\\Desk\\Morning" }, "markdown", "desk")).toBe("morning-desk-review.md");
  });

  it("says internal in the name of an internal report", () => {
    expect(reportFileName({ kind: "draft", path: "kabul-embassy.txt" }, "pdf", "internal")).toBe("kabul-embassy-review-internal.pdf");
  });

  it("falls back when nothing of the name is left", () => {
    expect(reportFileName({ kind: "draft", path: "…" }, "annotation", "desk")).toBe("draft-review.jsonld");
  });
});

describe("FORMATS", () => {
  it("offers the seven formats, each with a line saying what it is for", () => {
    expect(FORMATS.map((f) => f.format)).toEqual(["html", "pdf", "markdown", "json", "csv", "annotation", "claim_review"]);
    expect(FORMATS.every((f) => f.detail.length > 10)).toBe(true);
    expect(formatChoice("claim_review").extension).toBe("jsonld");
  });
});
