// Turns the core's flat block list into what the reader renders: list items and quote paragraphs
// that follow each other become one list or one quotation, the way they were written.

import type { BlockView } from "$lib/ipc";

export type HeadingTag = "h1" | "h2" | "h3";

export type RenderUnit =
  | { kind: "heading"; tag: HeadingTag; block: BlockView }
  | { kind: "paragraph"; block: BlockView }
  | { kind: "list"; items: BlockView[] }
  | { kind: "quote"; paragraphs: BlockView[] };

/** Level 1 and 2 keep their rank; anything deeper reads as a sub-heading. */
export function headingTag(level: number): HeadingTag {
  if (level <= 1) return "h1";
  if (level === 2) return "h2";
  return "h3";
}

export function toRenderUnits(blocks: readonly BlockView[]): RenderUnit[] {
  const units: RenderUnit[] = [];
  for (const block of blocks) {
    const previous = units.at(-1);
    switch (block.kind) {
      case "heading":
        units.push({ kind: "heading", tag: headingTag(block.level), block });
        break;
      case "list-item":
        if (previous?.kind === "list") previous.items.push(block);
        else units.push({ kind: "list", items: [block] });
        break;
      case "quote":
        if (previous?.kind === "quote") previous.paragraphs.push(block);
        else units.push({ kind: "quote", paragraphs: [block] });
        break;
      default:
        // Paragraphs, and any block kind a newer core may add, read as plain paragraphs.
        units.push({ kind: "paragraph", block });
    }
  }
  return units;
}
