// The desk dashboard's table: sorting, filtering, and the core's SVG charts shown as images
// (an SVG in an <img> is a picture: nothing in it runs, and nothing is parsed into the page).

import type { Blocker, DashboardRow, DraftStatus, RuleId } from "$lib/ipc";
import { RULE_LABELS } from "$lib/sourcing/sourcing";

export type SortKey = "title" | "status" | "claims" | "open" | "unnamed" | "blockers" | "assignee" | "changed";

const WORKFLOW_ORDER: readonly DraftStatus[] = ["in-review", "needs-work", "ready", "published", "updated"];

export const WORKFLOW_LABELS: Record<DraftStatus, string> = {
  "in-review": "In review",
  "needs-work": "Needs work",
  ready: "Ready",
  published: "Published",
  updated: "Updated",
};

/** A "Blocked by" chip: one per rule, named as Draft review names it, with how many findings it holds
 * (four unresolved claims are one chip "Unresolved claim ×4", not four "unresolved-claim"s); its title lists
 * each finding. A rule this window does not know keeps its id. */
export type BlockerChip = { rule: string; text: string; title: string };

export function blockerChips(blockers: readonly Blocker[]): BlockerChip[] {
  const byRule = new Map<string, string[]>();
  for (const blocker of blockers) byRule.set(blocker.rule, [...(byRule.get(blocker.rule) ?? []), blocker.message]);
  return [...byRule].map(([rule, messages]) => {
    const label = Object.hasOwn(RULE_LABELS, rule) ? RULE_LABELS[rule as RuleId] : rule;
    return { rule, text: messages.length > 1 ? `${label} ×${messages.length}` : label, title: messages.join("\n") };
  });
}

/** Claims still open: needing corroboration or disputed. */
export function openClaims(row: Pick<DashboardRow, "claims">): number {
  return row.claims.needs_corroboration + row.claims.disputed;
}

function sortValue(row: DashboardRow, key: SortKey): string | number {
  switch (key) {
    case "title":
      return (row.title || row.path).toLocaleLowerCase();
    case "status":
      return WORKFLOW_ORDER.indexOf(row.status);
    case "claims":
      return row.claims.total;
    case "open":
      return openClaims(row);
    case "unnamed":
      return row.unnamed_share;
    case "blockers":
      return row.blockers.length;
    case "assignee":
      return (row.assignee ?? row.claim_assignees[0]?.person ?? "").toLocaleLowerCase();
    case "changed":
      return row.text_changed_at ?? "";
  }
}

/** The rows sorted by `key` (ties by title), without changing the list given. */
export function sortRows(rows: readonly DashboardRow[], key: SortKey, descending: boolean): DashboardRow[] {
  const sign = descending ? -1 : 1;
  return [...rows].sort((a, b) => {
    const x = sortValue(a, key);
    const y = sortValue(b, key);
    const order = x < y ? -1 : x > y ? 1 : 0;
    return order !== 0 ? sign * order : sortValue(a, "title") < sortValue(b, "title") ? -1 : 1;
  });
}

export interface RowFilter {
  text: string;
  status: DraftStatus | "all";
  blockedOnly: boolean;
}

export function filterRows(rows: readonly DashboardRow[], filter: RowFilter): DashboardRow[] {
  const words = filter.text.toLocaleLowerCase().split(/\s+/).filter(Boolean);
  return rows.filter((row) => {
    // The assignee's name finds their drafts too.
    const names = [row.assignee ?? "", ...row.claim_assignees.map((a) => a.person)].join(" ");
    const text = `${row.title} ${row.path} ${names}`.toLocaleLowerCase();
    return (
      words.every((word) => text.includes(word)) &&
      (filter.status === "all" || row.status === filter.status) &&
      (!filter.blockedOnly || row.blockers.length > 0)
    );
  });
}

/**
 * Who a draft is assigned to, in the Assignee column: the whole draft's assignee, then whom its claims are assigned
 * to with how many ("eve (the draft), bo (3 claims)"); "–" for nobody. A draft whose claims are handed out is not
 * shown unassigned (teamtry P8).
 */
export function assigneeText(row: Pick<DashboardRow, "assignee" | "claim_assignees">): string {
  const claims = (n: number) => `${n} ${n === 1 ? "claim" : "claims"}`;
  const own = row.claim_assignees.find((a) => a.person === row.assignee);
  const others = row.claim_assignees.filter((a) => a.person !== row.assignee).map((a) => `${a.person} (${claims(a.claims)})`);
  if (row.assignee === null) return others.length > 0 ? others.join(", ") : "–";
  if (own) return [`${row.assignee} (the draft and ${claims(own.claims)})`, ...others].join(", ");
  return others.length > 0 ? [`${row.assignee} (the draft)`, ...others].join(", ") : row.assignee;
}

/** An SVG the core drew, as an image source. */
export function svgImage(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

export function percent(share: number): string {
  return `${Math.round(share * 100)} %`;
}
