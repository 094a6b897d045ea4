// What the UI knows about claims beyond the core's answer: the status labels and keys, the
// order claims are listed in, counts by status, and which claims need the reviewer's attention.

import type { ClaimStatus, ClaimView } from "$lib/ipc";

/** In the order of the number keys 1–5. */
export const STATUSES: readonly ClaimStatus[] = ["needs-corroboration", "corroborated", "disputed", "unverifiable", "cleared"];

export const STATUS_LABELS: Record<ClaimStatus, string> = {
  "needs-corroboration": "Needs corroboration",
  corroborated: "Corroborated",
  disputed: "Disputed",
  unverifiable: "Unverifiable",
  cleared: "Cleared",
};

/** Below this, a fuzzy placement is a guess the reviewer should confirm. */
export const FUZZY_THRESHOLD = 0.8;

export function needsAttention(claim: Pick<ClaimView, "anchor">): boolean {
  const { state, confidence } = claim.anchor;
  return state === "ambiguous" || state === "orphaned" || (state === "fuzzy" && confidence < FUZZY_THRESHOLD);
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
export function stepClaim(ordered: readonly ClaimView[], selected: number | null, step: number): number | null {
  if (ordered.length === 0) return null;
  const at = ordered.findIndex((claim) => claim.id === selected);
  if (at === -1) return (step > 0 ? ordered[0] : ordered[ordered.length - 1]).id;
  return ordered[Math.min(Math.max(at + step, 0), ordered.length - 1)].id;
}

export type ClaimKey = { kind: "tag" } | { kind: "step"; step: 1 | -1 } | { kind: "status"; status: ClaimStatus };

/**
 * The claim action a key press asks for, or null. Keys typed into a field, or pressed with a
 * modifier (Ctrl+C copies), are not ours.
 */
export function claimKey(event: Pick<KeyboardEvent, "key" | "ctrlKey" | "metaKey" | "altKey" | "target">): ClaimKey | null {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  if (isTyping(event.target)) return null;
  switch (event.key) {
    case "c":
      return { kind: "tag" };
    case "j":
      return { kind: "step", step: 1 };
    case "k":
      return { kind: "step", step: -1 };
  }
  const number = /^[1-5]$/.test(event.key) ? Number(event.key) : 0;
  return number ? { kind: "status", status: STATUSES[number - 1] } : null;
}

function isTyping(target: EventTarget | null): boolean {
  if (!target || typeof (target as Element).closest !== "function") return false;
  const element = target as HTMLElement;
  return element.closest("input, textarea, select, [contenteditable]:not([contenteditable='false'])") !== null || element.isContentEditable === true;
}

/** A timestamp as the reviewer reads it, in their local time. */
export function formatWhen(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}
