// How drafts are ordered, labelled and flagged in the list and the problems view.

import type { DraftFormat, DraftSummary, DraftId } from "$lib/ipc";

const byPath = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

/** Ignored files (swap, backup, lock, hidden) are noise to an editor; everything else is listed by path. */
export function listedDrafts(drafts: readonly DraftSummary[]): DraftSummary[] {
  return drafts
    .filter((draft) => draft.state !== "ignored")
    .sort((a, b) => byPath.compare(a.path, b.path) || a.id - b.id);
}

/** Files the editor should know about: ones that could not be read fully or at all. */
export function problemDrafts(drafts: readonly DraftSummary[]): DraftSummary[] {
  return listedDrafts(drafts).filter((draft) => draft.state === "warning" || draft.state === "skipped");
}

export type Badge = { kind: "warning" | "skipped"; label: string; reason: string };

export function badgeFor(draft: DraftSummary): Badge | null {
  if (draft.state !== "warning" && draft.state !== "skipped") return null;
  const reason = draft.reason ?? (draft.state === "skipped" ? "The file could not be read." : "The file was read with a problem.");
  return { kind: draft.state, label: draft.state, reason };
}

export function fileName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts.at(-1) || path;
}

/** A title to show even for files the core could not give one (skipped, empty). */
export function displayTitle(draft: DraftSummary): string {
  return draft.title.trim() || fileName(draft.path);
}

export function formatWords(words: number): string {
  return `${words.toLocaleString("en-US")} ${words === 1 ? "word" : "words"}`;
}

export function formatLabel(format: DraftFormat | null): string {
  switch (format) {
    case "markdown":
      return "Markdown";
    case "text":
      return "Plain text";
    case "html":
      return "HTML";
    case "docx":
      return "Word document";
    case "odt":
      return "OpenDocument text";
    default:
      return "Unknown format";
  }
}

export function formatVersions(versions: number): string {
  return `${versions} ${versions === 1 ? "version" : "versions"} seen`;
}

export type ListKey = "ArrowDown" | "ArrowUp" | "Home" | "End";

export function isListKey(key: string): key is ListKey {
  return key === "ArrowDown" || key === "ArrowUp" || key === "Home" || key === "End";
}

/** Which draft a navigation key moves to; stays put at either end rather than wrapping. */
export function neighbourDraft(drafts: readonly DraftSummary[], current: DraftId | null, key: ListKey): DraftId | null {
  if (drafts.length === 0) return null;
  const last = drafts.length - 1;
  const index = drafts.findIndex((draft) => draft.id === current);
  switch (key) {
    case "Home":
      return drafts[0].id;
    case "End":
      return drafts[last].id;
    case "ArrowDown":
      return drafts[index < 0 ? 0 : Math.min(index + 1, last)].id;
    case "ArrowUp":
      return drafts[index < 0 ? last : Math.max(index - 1, 0)].id;
  }
}
