// The published record of a draft, as the window reads it: what each change since publication was, in the
// words a correction would use. The core compares the record with the review now (ReviewChange); this only
// says it. Quotes, descriptors and notes are draft and reviewer text: shown through interpolation only.
import type { ReviewChange } from "$lib/ipc";
import { STATUS_LABELS, actorName } from "$lib/claims/claims";
import { ROLE_LABELS } from "./sourcing";

/** One change since publication as a sentence, without the claim's quote (shown beside it). */
export function describeReviewChange(change: ReviewChange): string {
  switch (change.change) {
    case "claim-added":
      return `Claim added (${STATUS_LABELS[change.status]})`;
    case "claim-removed":
      return "Claim removed";
    case "status-changed":
      return `Status ${STATUS_LABELS[change.from]} → ${STATUS_LABELS[change.to]}`;
    case "source-linked":
      return `Source linked: ${change.descriptor} (${ROLE_LABELS[change.role].toLowerCase()})`;
    case "source-unlinked":
      return `Source unlinked: ${change.descriptor} (${ROLE_LABELS[change.role].toLowerCase()})`;
    case "evidence-added":
      return `Evidence added: ${change.summary}`;
    case "evidence-removed":
      return `Evidence removed: ${change.summary}`;
    case "note-added":
      return `${change.claim === null ? "Note on the draft" : "Note"} by ${actorName(change.author)}: ${change.text}`;
    case "editor-note-changed":
      return change.to === null ? "Editor's note removed" : change.from === null ? "Editor's note added" : "Editor's note changed";
  }
}

/** The quote a change is about, when it is about a claim. */
export function changeQuote(change: ReviewChange): string | null {
  return "quote" in change ? change.quote : null;
}
