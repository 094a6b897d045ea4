// How suggested claims and a draft's sourcing profile are put into words for the editor.

import type { AttributionKind, ClaimAttribution, SourcingProfile, Suggestion } from "$lib/ipc";

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

const ATTRIBUTED_TO: Record<ClaimAttribution["kind"], string> = {
  named: "Named source",
  unnamed: "Unnamed source",
  document: "Document",
  "official-statement": "Official statement",
  "public-record": "Public record",
  "media-report": "Media report",
  "social-media": "Social media",
  other: "Other source",
  none: "No attribution",
};

/** A claim's attribution as the core gives it (the same answer as the matrix and the reports):
 * "Unnamed source: “Sources in” (read from the wording)" or "Named source (from its sources)". */
export function describeClaimAttribution(attribution: ClaimAttribution): string {
  const cue = attribution.cue ? `: “${attribution.cue}”` : "";
  const from = attribution.from === "sources" ? "from its sources" : "read from the wording";
  return `${ATTRIBUTED_TO[attribution.kind]}${cue} (${from})`;
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
