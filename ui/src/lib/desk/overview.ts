// A draft's review at a glance, for the drafts list: its claims by status in a few words. The counts
// and the status are the core's (desk overview); nothing is counted here.

import type { ClaimCounts } from "$lib/ipc";

/** "No claims", or "5 claims · 2 open · 1 disputed": open = still needing corroboration. */
export function claimCountsLine(counts: ClaimCounts): string {
  if (counts.total === 0) return "No claims";
  const parts = [`${counts.total} ${counts.total === 1 ? "claim" : "claims"}`];
  if (counts.needs_corroboration > 0) parts.push(`${counts.needs_corroboration} open`);
  if (counts.disputed > 0) parts.push(`${counts.disputed} disputed`);
  return parts.join(" · ");
}

/** The overview by draft id, for the list to look each draft up. */
export function overviewById<T extends { draft: number }>(overview: readonly T[]): Record<number, T> {
  return Object.fromEntries(overview.map((entry) => [entry.draft, entry]));
}
