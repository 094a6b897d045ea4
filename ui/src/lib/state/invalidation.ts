// Invalidation by tag: whoever learns that something changed (a desk event, an undo, the window's
// own write) names it with a tag, and every loader holding data under that tag reads it again.
// Nobody counts revisions or passes them down through props.
//
// The tags:
// - `review`: anything in the review may have changed (another process wrote, an undo, a claim was
//   removed or moved): every view built on the review reads again.
// - `drafts`: the desk's list of drafts.
// - `draft:N`: draft N's text, versions, claims, status, editor's note or notes.
// - `claim:N`: claim N's sources, evidence, marks or notes.
// - `sources`: the desk's register of sources.
// A loader may hold a wildcard (`claim:*`): it then reads again when any claim changes.

export type Tag = string;

type Listener = (told: readonly Tag[]) => void;

/** True when a loader holding `held` must read again after `told` was invalidated. */
export function tagMatches(held: Tag, told: Tag): boolean {
  if (held === told) return true;
  return held.endsWith(":*") && told.startsWith(held.slice(0, -1));
}

export class Invalidation {
  readonly #listeners = new Set<Listener>();

  /** Tells every loader that what these tags name has changed. */
  invalidate(...tags: Tag[]): void {
    if (tags.length === 0) return;
    for (const listener of [...this.#listeners]) listener(tags);
  }

  /** Calls `listener` with the tags of every invalidation; returns how to stop. */
  listen(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

/** What a view of draft N built on its review (findings, matrix, status) is read again for. */
export const draftReviewTags = (draft: number): Tag[] => [`draft:${draft}`, "claim:*", "sources", "review"];

/** What a desk-wide view (the overview, the dashboard, a report) is read again for. */
export const DESK_TAGS: readonly Tag[] = ["drafts", "draft:*", "claim:*", "sources", "review"];

/** The window's one bus: the desk session, the undo stack and every panel's loaders share it. */
export const invalidation = new Invalidation();

/** Invalidates on the window's bus (see the tags above). */
export const invalidate = (...tags: Tag[]): void => invalidation.invalidate(...tags);
