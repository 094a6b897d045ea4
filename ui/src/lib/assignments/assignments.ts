// What the sidebar's "Assigned to me" and "Inbox" lists say about each item. The core decides what is assigned,
// what is overdue and what is read; this only puts it in words and counts it.
import type { AssignedWork, InboxEntry, ClaimId, DraftId } from "$lib/ipc";

/** How many entries of the inbox are not read yet (the inbox tab's badge). */
export function unreadCount(entries: readonly InboxEntry[]): number {
  return entries.filter((entry) => !entry.read).length;
}

/** How many assigned items are past their due date. */
export function overdueCount(work: readonly AssignedWork[]): number {
  return work.filter((item) => item.overdue).length;
}

/** "Due 2026-12-24", "Overdue: due 2026-12-03", or nothing without a date. */
export function dueText(due: string | null, overdue: boolean): string {
  if (!due) return "";
  return overdue ? `Overdue: due ${due}` : `Due ${due}`;
}

/** What an inbox entry says happened: "ana assigned you a claim", "ben mentioned you on the draft". */
export function inboxSentence(entry: Pick<InboxEntry, "kind" | "claim" | "from">): string {
  const what = entry.claim === null ? "the draft" : "a claim";
  if (entry.kind === "assignment") return `${entry.from} assigned you ${entry.claim === null ? "the whole draft" : what}`;
  return `${entry.from} mentioned you on ${what}`;
}

/** Where opening an item goes: the claim in its draft, or the draft. */
export function openTarget(item: Pick<AssignedWork | InboxEntry, "claim" | "draft">): { draft: DraftId; claim: ClaimId | null } {
  return { draft: item.draft, claim: item.claim };
}
