// One side of a version comparison, cut into the pieces the history view renders: text the edit
// changed (removed on the older side, added on the newer), text a claim covers, both, or neither.
// Offsets from the core are Unicode code points; JS strings count UTF-16 units, so slicing walks
// code points, as the reader does.

import type { ClaimMark, ComparedVersion, PlacementCounts, VersionSummary, VersionId } from "$lib/ipc";

export type ComparePiece = {
  text: string;
  /** Whether the edit removed (older side) or added (newer side) this text. */
  changed: boolean;
  /** The claims covering this piece, shortest first (the one shown on top). */
  claims: ClaimMark[];
};

type Span = { start: number; end: number };

/** The pieces of one side: cut at every edge of a changed span or a claim. */
export function comparePieces(side: Pick<ComparedVersion, "text" | "changed" | "claims">): ComparePiece[] {
  const points = Array.from(side.text);
  const length = points.length;
  const clip = (span: Span) => ({ start: clamp(span.start, 0, length), end: clamp(span.end, 0, length) });
  const changed = side.changed.map(clip).filter((span) => span.start < span.end);
  const claims = side.claims.map((claim) => ({ claim, ...clip(claim) })).filter((c) => c.start < c.end);

  const cuts = new Set<number>([0, length]);
  for (const span of [...changed, ...claims]) {
    cuts.add(span.start);
    cuts.add(span.end);
  }
  const edges = [...cuts].sort((a, b) => a - b);
  const pieces: ComparePiece[] = [];
  for (let i = 0; i + 1 < edges.length; i++) {
    const [from, to] = [edges[i], edges[i + 1]];
    const covering = claims
      .filter((c) => c.start <= from && c.end >= to)
      .map((c) => c.claim)
      .sort((a, b) => a.end - a.start - (b.end - b.start) || a.claim - b.claim);
    const piece = { text: points.slice(from, to).join(""), changed: changed.some((s) => s.start <= from && s.end >= to), claims: covering };
    const last = pieces.at(-1);
    // Neighbouring pieces that look the same are one piece: fewer nodes for a long draft.
    if (last && last.changed === piece.changed && sameClaims(last.claims, piece.claims)) last.text += piece.text;
    else pieces.push(piece);
  }
  return pieces;
}

/** What an edit did to the claims, in words: "2 moved, 1 lost"; "" when it left them all in place. */
export function describePlacements(counts: PlacementCounts): string {
  const parts: string[] = [];
  if (counts.moved > 0) parts.push(`${counts.moved} moved`);
  if (counts.fuzzy > 0) parts.push(`${counts.fuzzy} edited`);
  if (counts.ambiguous > 0) parts.push(`${counts.ambiguous} ambiguous`);
  if (counts.orphaned > 0) parts.push(`${counts.orphaned} lost`);
  return parts.join(", ");
}

/** "Version 3", with "(current)" on the draft's current one. */
export function versionLabel(version: Pick<VersionSummary, "number" | "current">): string {
  return `Version ${version.number}${version.current ? " (current)" : ""}`;
}

/** A byte count as an editor reads it: "812 bytes", "7.4 KB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} ${bytes === 1 ? "byte" : "bytes"}`;
  return `${(bytes / 1000).toLocaleString("en-US", { maximumFractionDigits: 1 })} KB`;
}

/** The comparison to show first: what the last edit changed (or the only version against itself). */
export function defaultPair(versions: readonly VersionSummary[]): { from: VersionId; to: VersionId } | null {
  if (versions.length === 0) return null;
  const to = versions.find((v) => v.current) ?? versions[versions.length - 1];
  const index = versions.indexOf(to);
  const from = versions[Math.max(0, index - 1)];
  return { from: from.id, to: to.id };
}

function sameClaims(a: readonly ClaimMark[], b: readonly ClaimMark[]): boolean {
  return a.length === b.length && a.every((claim, i) => claim.claim === b[i].claim);
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}
