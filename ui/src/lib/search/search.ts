// The desk search as the window shows it: hits grouped by kind, the order the arrow keys walk,
// and a snippet cut into plain and matched pieces (rendered as text nodes, never as markup).

import type { ClaimStatus, DraftStatus, HitKind, SearchHit, SearchQuery, Snippet, ClaimId, DraftId } from "$lib/ipc";

/** The groups, in the order they are shown. */
export const KIND_ORDER: readonly HitKind[] = ["draft", "claim", "note", "evidence", "source"];

export const KIND_LABELS: Record<HitKind, string> = {
  draft: "Drafts",
  claim: "Claims",
  note: "Notes",
  evidence: "Evidence",
  source: "Sources",
};

export interface HitGroup {
  kind: HitKind;
  label: string;
  hits: SearchHit[];
}

/** Hits grouped by kind (groups in KIND_ORDER, empty ones left out), best first within each. */
export function groupHits(hits: readonly SearchHit[]): HitGroup[] {
  return KIND_ORDER.map((kind) => ({
    kind,
    label: KIND_LABELS[kind],
    hits: hits.filter((hit) => hit.kind === kind).sort((a, b) => b.score - a.score),
  })).filter((group) => group.hits.length > 0);
}

/** The hits in the order they are shown, which is the order the arrow keys move through. */
export function shownOrder(groups: readonly HitGroup[]): SearchHit[] {
  return groups.flatMap((group) => group.hits);
}

/** A stable key for a hit (ids are unique within a kind only). */
export function hitKey(hit: Pick<SearchHit, "kind" | "id">): string {
  return `${hit.kind}:${hit.id}`;
}

export interface SnippetPiece {
  text: string;
  match: boolean;
}

/** The snippet cut at its highlights. Offsets count code points, as the core does. */
export function snippetPieces(snippet: Snippet): SnippetPiece[] {
  const chars = Array.from(snippet.text);
  const pieces: SnippetPiece[] = [];
  let at = 0;
  const spans = [...snippet.highlights].sort((a, b) => a.start - b.start);
  for (const span of spans) {
    const start = Math.max(span.start, at);
    const end = Math.min(span.end, chars.length);
    if (end <= start) continue;
    if (start > at) pieces.push({ text: chars.slice(at, start).join(""), match: false });
    pieces.push({ text: chars.slice(start, end).join(""), match: true });
    at = end;
  }
  if (at < chars.length) pieces.push({ text: chars.slice(at).join(""), match: false });
  return pieces;
}

/** What opening a hit shows: the claim in its draft, the draft (at a passage), or the sources register. */
export type HitTarget =
  | { kind: "claim"; draft: DraftId; claim: ClaimId }
  | { kind: "draft"; draft: DraftId; passage: { start: number; end: number } | null; pane: "claims" | "draft" }
  | { kind: "sources" };

export function hitTarget(hit: SearchHit): HitTarget {
  if (hit.draft !== null && hit.claim !== null) return { kind: "claim", draft: hit.draft, claim: hit.claim };
  if (hit.draft !== null) return { kind: "draft", draft: hit.draft, passage: hit.passage, pane: hit.kind === "note" ? "draft" : "claims" };
  return { kind: "sources" };
}

/** The filters the search box offers: one choice each, "all" for none. */
export interface SearchFilters {
  kind: HitKind | "all";
  claimStatus: ClaimStatus | "all";
  workflow: DraftStatus | "all";
  /** Only the open draft (its id), or the whole desk (null). */
  draft: DraftId | null;
  /** Changed on or after this day ("YYYY-MM-DD"), or "" for any time. */
  since: string;
  /** Only claims assigned to this person (with their notes and evidence) and drafts assigned to them; "" for anyone. */
  assignee: string;
}

export const NO_FILTERS: SearchFilters = { kind: "all", claimStatus: "all", workflow: "all", draft: null, since: "", assignee: "" };

/** How many filters narrow the search (shown beside the filters' toggle). */
export function activeFilters(filters: SearchFilters): number {
  return [
    filters.kind !== "all",
    filters.claimStatus !== "all",
    filters.workflow !== "all",
    filters.draft !== null,
    filters.since !== "",
    filters.assignee.trim() !== "",
  ].filter(Boolean).length;
}

/** The core's query for `text` under `filters`, the best 50 hits. */
export function searchQuery(text: string, filters: SearchFilters): SearchQuery {
  return {
    text,
    kinds: filters.kind === "all" ? [] : [filters.kind],
    claim_statuses: filters.claimStatus === "all" ? [] : [filters.claimStatus],
    attributions: [],
    workflow: filters.workflow === "all" ? [] : [filters.workflow],
    draft: filters.draft,
    since: /^\d{4}-\d{2}-\d{2}$/.test(filters.since) ? filters.since : null,
    until: null,
    limit: 50,
    // Spaces alone name nobody: no filter (the core trims the name too).
    assignee: filters.assignee.trim() === "" ? null : filters.assignee.trim(),
  };
}
