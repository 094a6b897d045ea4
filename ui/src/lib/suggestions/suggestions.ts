// How suggested claims and a draft's sourcing profile are put into words for the editor.

import type { AttributionKind, SourcingProfile, Suggestion } from "$lib/ipc";

export function attributionLabel(kind: AttributionKind): string {
  switch (kind) {
    case "anonymous":
      return "unnamed source";
    case "named":
      return "named source";
    case "document":
      return "document";
    case "none":
      return "no attribution";
  }
}

/** "Unnamed source: “Sources tell Strike Source”", or just the kind when the draft gives no cue. */
export function describeAttribution(item: { attribution: Suggestion["attribution"] | null }): string {
  if (!item.attribution) return "";
  const { kind, cue } = item.attribution;
  const label = attributionLabel(kind);
  const capitalised = label.charAt(0).toUpperCase() + label.slice(1);
  return cue ? `${capitalised}: “${cue}”` : capitalised;
}

export type ProfilePart = { kind: AttributionKind; count: number; label: string };

/** The draft's attribution mix, largest first, leaving out kinds it does not use. */
export function profileParts(profile: SourcingProfile): ProfilePart[] {
  const parts: ProfilePart[] = [
    { kind: "anonymous", count: profile.anonymous, label: "unnamed" },
    { kind: "named", count: profile.named, label: "named" },
    { kind: "document", count: profile.document, label: profile.document === 1 ? "document" : "documents" },
    { kind: "none", count: profile.unattributed, label: "unattributed" },
  ];
  return parts.filter((part) => part.count > 0).sort((a, b) => b.count - a.count);
}

/** "58 % unnamed" — the share of the draft's claims resting on unnamed sources, rounded. */
export function unnamedShare(profile: SourcingProfile): string {
  return `${Math.round(profile.unnamed_share * 100)} % unnamed`;
}

/**
 * The suggestion after (`step` 1) or before (-1) the one starting at `from` in reading order, or the
 * first (last) when none is open; it stays at the ends. Null when there is none.
 */
export function stepSuggestion<T extends { start: number }>(suggestions: readonly T[], from: number | null, step: 1 | -1): T | null {
  const ordered = [...suggestions].sort((a, b) => a.start - b.start);
  if (ordered.length === 0) return null;
  if (from === null) return step > 0 ? ordered[0] : ordered[ordered.length - 1];
  const next = step > 0 ? ordered.find((s) => s.start > from) : [...ordered].reverse().find((s) => s.start < from);
  return next ?? (step > 0 ? ordered[ordered.length - 1] : ordered[0]);
}
