import { describe, expect, it } from "vitest";
import type { BlockView } from "$lib/ipc";
import { headingTag, toRenderUnits } from "./render-units";

let offset = 0;
function block(kind: BlockView["kind"], text: string, level = 0): BlockView {
  const start = offset;
  offset += [...text].length + 1;
  return { kind, level, start, end: start + [...text].length, text };
}

describe("toRenderUnits", () => {
  it("groups consecutive list items into one list and keeps their order", () => {
    const blocks = [
      block("paragraph", "Intro"),
      block("list-item", "one", 1),
      block("list-item", "two", 1),
      block("paragraph", "Between"),
      block("list-item", "three", 1),
    ];
    const units = toRenderUnits(blocks);
    expect(units.map((unit) => unit.kind)).toEqual(["paragraph", "list", "paragraph", "list"]);
    expect(units[1]).toEqual({ kind: "list", items: [blocks[1], blocks[2]] });
    expect(units[3]).toEqual({ kind: "list", items: [blocks[4]] });
  });

  it("groups consecutive quote paragraphs into one quotation", () => {
    const blocks = [block("quote", "First"), block("quote", "Second"), block("paragraph", "After")];
    expect(toRenderUnits(blocks)).toEqual([
      { kind: "quote", paragraphs: [blocks[0], blocks[1]] },
      { kind: "paragraph", block: blocks[2] },
    ]);
  });

  it("does not merge a list across a quote or a quote across a list", () => {
    const blocks = [block("list-item", "a"), block("quote", "q"), block("list-item", "b"), block("quote", "r")];
    expect(toRenderUnits(blocks).map((unit) => unit.kind)).toEqual(["list", "quote", "list", "quote"]);
  });

  it("maps heading levels to h1, h2 and h3", () => {
    const units = toRenderUnits([block("heading", "A", 1), block("heading", "B", 2), block("heading", "C", 5)]);
    expect(units.map((unit) => (unit.kind === "heading" ? unit.tag : null))).toEqual(["h1", "h2", "h3"]);
  });

  it("reads a block kind it does not know as a paragraph", () => {
    const unknown = { ...block("paragraph", "code"), kind: "code-block" } as unknown as BlockView;
    expect(toRenderUnits([unknown])).toEqual([{ kind: "paragraph", block: unknown }]);
  });

  it("renders nothing for no blocks", () => {
    expect(toRenderUnits([])).toEqual([]);
  });
});

describe("headingTag", () => {
  it("treats level 0 as a top heading", () => {
    expect(headingTag(0)).toBe("h1");
  });
});
