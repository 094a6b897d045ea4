// What a change on disk means for what the UI shows: which data to fetch again and what to tell the editor.

import type { DeskEvent, DraftId } from "$lib/ipc";

export type Notice = { path: string | null; message: string };

export type Refresh = {
  /** The drafts list is stale (a file came, went, moved or changed its title or word count). */
  list: boolean;
  /** The draft open in the reader is the one that changed. */
  document: boolean;
  /** Another process changed the review (claims, statuses, sourcing, notes): read the open draft's
   * claims and everything built on the review again, but not its text. */
  review: boolean;
  /** Something the editor should read in the problems view. */
  notice: Notice | null;
};

export function refreshFor(event: DeskEvent, openDraft: DraftId | null): Refresh {
  switch (event.event) {
    case "problem":
      return { list: false, document: false, review: false, notice: { path: event.path, message: event.message } };
    case "added":
    case "changed":
    case "renamed":
    case "missing":
    case "restored":
      return { list: true, document: event.draft === openDraft, review: false, notice: null };
    case "many":
      // Hundreds of drafts at once (a folder deleted, a checkout), told as one: the open draft may be one of them.
      return { list: true, document: openDraft !== null, review: false, notice: null };
    case "reviewed":
      // The list's counts may have moved; the open draft's text did not.
      return { list: true, document: false, review: true, notice: null };
    default:
      // An event kind a newer core sends: refetching the list is always safe.
      return { list: true, document: false, review: false, notice: null };
  }
}

/** Adds a notice unless it repeats the newest one, keeping the most recent `limit` (a watcher can flood). */
export function appendNotice(notices: readonly Notice[], notice: Notice, limit = 50): Notice[] {
  const newest = notices.at(-1);
  if (newest && newest.path === notice.path && newest.message === notice.message) return [...notices];
  return [...notices, notice].slice(-limit);
}
