// Splits a block's text into the pieces the reader renders: plain text, and text covered by one
// or more claims. Claim offsets are Unicode code points into the draft's canonical text (the same
// space as a block's start/end), while JS strings count UTF-16 units, so all slicing here walks
// code points. Each piece becomes a text node, inside a <mark> when claims cover it.

import type { ClaimStatus, TrackedChange } from "$lib/ipc";

/** The part of a claim the reader needs to highlight it. */
export type PlacedClaim = { id: number; status: ClaimStatus; start: number; end: number };

/** Anything else laid over the text by code-point offsets, e.g. a suggested claim. */
export type Overlay = { start: number; end: number };

export type Segment<S extends Overlay = Overlay> = {
  text: string;
  /** Canonical code-point offsets of this piece. */
  start: number;
  end: number;
  /** Every claim covering this piece, shortest first (the one shown on top). */
  claims: PlacedClaim[];
  /** The suggestion covering this piece, when no claim does (a claim always wins). */
  suggestion?: S;
  /** The tracked insertion this piece is part of, when tracked changes are shown. */
  insertion?: TrackedChange;
  /**
   * A tracked deletion at this point: the piece has no text of its own (the deleted text is not
   * in the draft's text, so it is never a text node: the reader draws it from an attribute).
   */
  deletion?: TrackedChange;
};

type Span = { start: number; end: number; text: string };

/**
 * The claims covering each piece of one block. A claim crossing the block's edges is clipped to
 * the block; overlapping claims cut the text at every edge, and each piece lists all that cover it.
 */
export function segmentBlock<S extends Overlay = Overlay>(
  block: Span,
  claims: readonly PlacedClaim[],
  suggestions: readonly S[] = [],
  changes: readonly TrackedChange[] = [],
): Segment<S>[] {
  const segments = segmentClaims(block, claims, suggestions, changes.filter((c) => c.kind === "insertion"));
  return withDeletions(block, segments, changes.filter((c) => c.kind === "deletion"));
}

function segmentClaims<S extends Overlay>(
  block: Span,
  claims: readonly PlacedClaim[],
  suggestions: readonly S[],
  insertions: readonly TrackedChange[],
): Segment<S>[] {
  const points = Array.from(block.text);
  const length = points.length;
  const toLocal = <T extends Overlay>(item: T) => ({
    item,
    from: clamp(item.start - block.start, 0, length),
    to: clamp(item.end - block.start, 0, length),
  });
  const local = claims.map(toLocal).filter(({ from, to }) => from < to).map(({ item, from, to }) => ({ claim: item, from, to }));
  const suggested = suggestions.map(toLocal).filter(({ from, to }) => from < to);
  const inserted = insertions.map(toLocal).filter(({ from, to }) => from < to);

  if (local.length === 0 && suggested.length === 0 && inserted.length === 0) {
    return length === 0 ? [] : [{ text: block.text, start: block.start, end: block.start + length, claims: [] }];
  }

  const cuts = new Set<number>([0, length]);
  for (const { from, to } of [...local, ...suggested, ...inserted]) {
    cuts.add(from);
    cuts.add(to);
  }
  const edges = [...cuts].sort((a, b) => a - b);

  const segments: Segment<S>[] = [];
  for (let i = 0; i + 1 < edges.length; i++) {
    const from = edges[i];
    const to = edges[i + 1];
    const covering = local
      .filter((c) => c.from <= from && c.to >= to)
      .map((c) => c.claim)
      .sort((a, b) => a.end - a.start - (b.end - b.start) || b.id - a.id);
    const segment: Segment<S> = { text: points.slice(from, to).join(""), start: block.start + from, end: block.start + to, claims: covering };
    const suggestion = covering.length === 0 ? suggested.find((s) => s.from <= from && s.to >= to) : undefined;
    if (suggestion) segment.suggestion = suggestion.item;
    const insertion = inserted.find((c) => c.from <= from && c.to >= to);
    if (insertion) segment.insertion = insertion.item;
    segments.push(segment);
  }
  return segments;
}

/** Puts each deletion of the block, as an empty piece, where its text was taken out. */
function withDeletions<S extends Overlay>(block: Span, segments: Segment<S>[], deletions: readonly TrackedChange[]): Segment<S>[] {
  const length = Array.from(block.text).length;
  const here = deletions.filter((d) => d.start >= block.start && d.start <= block.start + length);
  if (here.length === 0) return segments;
  // A piece cut at the deletion's point: split the one piece that spans it.
  const cut: Segment<S>[] = [];
  for (const segment of segments) {
    const inside = here.filter((d) => d.start > segment.start && d.start < segment.end).map((d) => d.start);
    const edges = [segment.start, ...new Set(inside), segment.end].sort((a, b) => a - b);
    const points = Array.from(segment.text);
    for (let i = 0; i + 1 < edges.length; i++) {
      cut.push({ ...segment, text: points.slice(edges[i] - segment.start, edges[i + 1] - segment.start).join(""), start: edges[i], end: edges[i + 1] });
    }
  }
  const out: Segment<S>[] = [];
  const deletionPiece = (deletion: TrackedChange): Segment<S> => ({ text: "", start: deletion.start, end: deletion.start, claims: [], deletion });
  for (const segment of cut) {
    for (const deletion of here.filter((d) => d.start === segment.start)) out.push(deletionPiece(deletion));
    out.push(segment);
  }
  const last = cut.length > 0 ? cut[cut.length - 1].end : block.start;
  for (const deletion of here.filter((d) => d.start === last && !cut.some((s) => s.start === d.start))) out.push(deletionPiece(deletion));
  return out;
}

/** Claims that have a place in the current text (ambiguous and orphaned ones have none). */
export function placedClaims(claims: readonly { id: number; status: ClaimStatus; start: number | null; end: number | null }[]): PlacedClaim[] {
  const placed: PlacedClaim[] = [];
  for (const { id, status, start, end } of claims) {
    if (start !== null && end !== null && start < end) placed.push({ id, status, start, end });
  }
  return placed;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}
