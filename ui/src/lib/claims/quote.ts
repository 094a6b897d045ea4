// Turns what the editor selected into a W3C TextQuoteSelector: the selected text as `exact`, and up
// to 32 code points of the block's text either side as context. The core finds the quote itself;
// nothing here sends an offset it relies on.

import type { TextQuoteSelector } from "$lib/ipc";

/** Code points of context on each side, as the core records them. */
export const CONTEXT = 32;

/**
 * The quote for the UTF-16 range [from, to) of a block's text. Whitespace at the edges of the
 * selection (a double-click often takes the next space) moves into the context; a range cutting a
 * surrogate pair in half is widened to the whole character. Null when nothing but space is selected.
 */
export function quoteFromRange(text: string, from: number, to: number): TextQuoteSelector | null {
  let start = Math.max(0, Math.min(from, to));
  let end = Math.min(text.length, Math.max(from, to));
  if (start > 0 && isLowSurrogate(text.charCodeAt(start))) start -= 1;
  if (end < text.length && isLowSurrogate(text.charCodeAt(end))) end += 1;
  while (start < end && /\s/.test(text[start])) start += 1;
  while (end > start && /\s/.test(text[end - 1])) end -= 1;
  if (start === end) return null;
  return {
    exact: text.slice(start, end),
    prefix: Array.from(text.slice(0, start)).slice(-CONTEXT).join(""),
    suffix: Array.from(text.slice(end)).slice(0, CONTEXT).join(""),
  };
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

export type SelectionQuote = { kind: "none" } | { kind: "quote"; quote: TextQuoteSelector; range: Range };

/** What separates two blocks in the draft's canonical text (the core joins blocks this way). */
export const BLOCK_SEPARATOR = "\n\n";

/**
 * Reads the DOM selection inside `root` (the reader's text) as a quote on the draft's canonical
 * text: the blocks (elements carrying data-start) joined as the core joins them, so a selection may
 * span paragraphs, and its context reaches into the neighbouring ones exactly as the core records it.
 */
export function selectionQuote(root: Element, selection: Selection | null): SelectionQuote {
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return { kind: "none" };
  const range = selection.getRangeAt(0);
  if (!root.contains(range.startContainer) || !root.contains(range.endContainer)) return { kind: "none" };
  const startBlock = blockOf(root, range.startContainer);
  const endBlock = blockOf(root, range.endContainer);
  if (!startBlock || !endBlock) return { kind: "none" };

  let text = "";
  let from = -1;
  let to = -1;
  for (const block of root.querySelectorAll("[data-start]")) {
    if (text !== "") text += BLOCK_SEPARATOR;
    if (block === startBlock) from = text.length + offsetWithin(block, range.startContainer, range.startOffset);
    if (block === endBlock) to = text.length + offsetWithin(block, range.endContainer, range.endOffset);
    text += block.textContent ?? "";
  }
  if (from < 0 || to < 0) return { kind: "none" };
  const quote = quoteFromRange(text, from, to);
  return quote ? { kind: "quote", quote, range } : { kind: "none" };
}

function blockOf(root: Element, node: Node): Element | null {
  const element = node instanceof Element ? node : node.parentElement;
  const block = element?.closest("[data-start]") ?? null;
  return block && root.contains(block) ? block : null;
}

/** UTF-16 offset of a DOM boundary point within the block's text. */
function offsetWithin(block: Element, container: Node, offset: number): number {
  const before = block.ownerDocument.createRange();
  before.setStart(block, 0);
  before.setEnd(container, offset);
  return before.toString().length;
}

/**
 * The quote for code points [start, end) of the draft's canonical text, rebuilt from its blocks
 * (joined as the core joins them): what a claim covers now, with its context, so it can be put
 * back there (Undo of "Move claim here"). Null when the range is empty or outside the text.
 */
export function quoteAt(blocks: readonly { start: number; end: number; text: string }[], start: number, end: number): TextQuoteSelector | null {
  const points: string[] = [];
  for (const block of blocks) {
    // Blocks sit at their own offsets; whatever lies between two of them is the separator.
    while (points.length < block.start) points.push(...Array.from(BLOCK_SEPARATOR).slice(0, block.start - points.length));
    points.push(...Array.from(block.text));
  }
  if (start < 0 || end <= start || end > points.length) return null;
  return {
    exact: points.slice(start, end).join(""),
    prefix: points.slice(Math.max(0, start - CONTEXT), start).join(""),
    suffix: points.slice(end, end + CONTEXT).join(""),
  };
}
