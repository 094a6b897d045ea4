// What the UI knows about claims beyond the core's answer: the status labels and keys, the
// order claims are listed in, counts by status, and which claims need the reviewer's attention.

import type { BlockView, Candidate, ClaimStatus, ClaimView, DraftSummary, ClaimId } from "$lib/ipc";
import { displayTitle } from "$lib/desk/drafts";
import { unnamedReviewer } from "./unnamed-reviewer.svelte";

/** In the order of the number keys 1–5. */
export const STATUSES: readonly ClaimStatus[] = ["needs-corroboration", "corroborated", "disputed", "unverifiable", "cleared"];

export const STATUS_LABELS: Record<ClaimStatus, string> = {
  "needs-corroboration": "Needs corroboration",
  corroborated: "Corroborated",
  disputed: "Disputed",
  unverifiable: "Unverifiable",
  cleared: "Cleared",
};

/**
 * Whether the reviewer should look at the claim: the core decides (ambiguous, orphaned, or fuzzy
 * under its confidence threshold, unless the reviewer already settled it).
 */
export function needsAttention(claim: Pick<ClaimView, "needs_attention">): boolean {
  return claim.needs_attention;
}

/** What the inspector offers for a claim that needs attention. */
export type AttentionActions = { accept: boolean; choose: readonly Candidate[]; reattach: boolean; keepDetached: boolean };

export function attentionActions(claim: Pick<ClaimView, "needs_attention" | "anchor">): AttentionActions | null {
  if (!claim.needs_attention) return null;
  const { state, candidates } = claim.anchor;
  return {
    accept: state === "fuzzy" || state === "moved",
    choose: state === "ambiguous" ? candidates : [],
    reattach: true,
    keepDetached: true,
  };
}

/**
 * The current text between two code-point offsets, cut from the blocks (whose `start`/`end` are
 * code points into the draft's text); pieces from different blocks are joined by a space.
 */
export function textBetween(blocks: readonly Pick<BlockView, "start" | "end" | "text">[], start: number, end: number): string {
  const pieces: string[] = [];
  for (const block of blocks) {
    if (block.end <= start || block.start >= end) continue;
    const points = Array.from(block.text);
    pieces.push(points.slice(Math.max(start - block.start, 0), Math.min(end, block.end) - block.start).join(""));
  }
  return pieces.join(" ");
}

/** Reading order: placed claims by position, then the ones without a place, oldest first. */
export function orderClaims(claims: readonly ClaimView[]): ClaimView[] {
  return [...claims].sort((a, b) => {
    if (a.start !== null && b.start !== null) return a.start - b.start || (a.end ?? 0) - (b.end ?? 0) || a.id - b.id;
    if (a.start !== null) return -1;
    if (b.start !== null) return 1;
    return a.id - b.id;
  });
}

export function countByStatus(claims: readonly ClaimView[]): Record<ClaimStatus, number> {
  const counts = Object.fromEntries(STATUSES.map((status) => [status, 0])) as Record<ClaimStatus, number>;
  for (const claim of claims) counts[claim.status] += 1;
  return counts;
}

/** The claim `step` places after (or before) the selected one in `ordered`, staying at the ends. */
export function stepClaim(ordered: readonly ClaimView[], selected: ClaimId | null, step: number): ClaimId | null {
  if (ordered.length === 0) return null;
  const at = ordered.findIndex((claim) => claim.id === selected);
  if (at === -1) return (step > 0 ? ordered[0] : ordered[ordered.length - 1]).id;
  return ordered[Math.min(Math.max(at + step, 0), ordered.length - 1)].id;
}

/** The name the core records its own automatic changes under (`SYSTEM_ACTOR` in the core's `audit` module). */
export const SYSTEM_ACTOR = "factdesk";

/**
 * Who made a change, as the reviewer reads it: the core's automatic changes must not read as a person's, and the
 * computer's login recorded before the reviewer gave a name reads as "you" (see unnamed-reviewer.svelte.ts).
 */
export function actorName(actor: string | null): string {
  if (actor === SYSTEM_ACTOR) return "Factdesk (automatic)";
  if (actor !== null && actor === unnamedReviewer.login) return "you";
  return actor ?? "";
}

/** A claim change's sentence from the core ("… by NAME"), its actor read as `actorName` reads it. */
export function changeSentence(change: { sentence: string; actor: string }): string {
  const by = ` by ${change.actor}`;
  const shown = actorName(change.actor);
  return shown !== change.actor && change.sentence.endsWith(by) ? `${change.sentence.slice(0, -by.length)} by ${shown}` : change.sentence;
}

/** A timestamp as the reviewer reads it, in their local time. */
export function formatWhen(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

export type AttentionEntry = { claim: ClaimView; title: string; path: string | null };

/**
 * The desk-wide "Needs attention" list: each claim with its draft's title, grouped by draft (in
 * path order) and in reading order within a draft. Claims of drafts not listed come last.
 */
export function attentionEntries(claims: readonly ClaimView[], drafts: readonly DraftSummary[]): AttentionEntry[] {
  const byId = new Map(drafts.map((draft) => [draft.id, draft]));
  const entries = orderClaims(claims.filter((claim) => claim.needs_attention)).map((claim) => {
    const draft = byId.get(claim.draft);
    return { claim, title: draft ? displayTitle(draft) : `Draft ${claim.draft}`, path: draft?.path ?? null };
  });
  // Stable sort keeps reading order inside each draft.
  return entries.sort((a, b) => {
    if (a.path === null || b.path === null) return a.path === b.path ? a.claim.draft - b.claim.draft : a.path === null ? 1 : -1;
    return a.path < b.path ? -1 : a.path > b.path ? 1 : a.claim.draft - b.claim.draft;
  });
}
