// What the UI knows about sourcing beyond the core's answer: labels for the closed sets of names,
// how a claim's corroboration reads in a sentence, and which confidential fields are recorded.
// Confidential content never passes through here: only whether a field is recorded.

import { STATUS_LABELS } from "$lib/claims/claims";
import { RULE_LABELS as GENERATED_RULE_LABELS } from "$lib/ipc";
import type {
  AttributedTo,
  ClaimAttribution,
  ClaimStatus,
  Confidential,
  ConfidentialRecorded,
  Corroboration,
  DraftStatus,
  EvidenceKind,
  RuleId,
  SourceKind,
  SourceRole,
  Stance,
} from "$lib/ipc";

export const SOURCE_KINDS: readonly SourceKind[] = [
  "unnamed",
  "named-person",
  "document",
  "official-statement",
  "public-record",
  "media-report",
  "social-media",
  "other",
];

export const SOURCE_KIND_LABELS: Record<SourceKind, string> = {
  unnamed: "Unnamed source",
  "named-person": "Named person",
  document: "Document",
  "official-statement": "Official statement",
  "public-record": "Public record",
  "media-report": "Media report",
  "social-media": "Social media",
  other: "Other",
};

export const SOURCE_ROLES: readonly SourceRole[] = ["attributed", "corroborates", "contradicts"];

export const ROLE_LABELS: Record<SourceRole, string> = {
  attributed: "Attributed",
  corroborates: "Corroborates",
  contradicts: "Contradicts",
};

export const EVIDENCE_KINDS: readonly EvidenceKind[] = ["document", "url", "interview", "public-record", "photo-video", "dataset"];

export const EVIDENCE_KIND_LABELS: Record<EvidenceKind, string> = {
  document: "Document",
  url: "Web page",
  interview: "Interview",
  "public-record": "Public record",
  "photo-video": "Photo or video",
  dataset: "Dataset",
};

export const STANCE_LABELS: Record<Stance, string> = { supports: "Supports", contradicts: "Contradicts" };

/** In workflow order. */
export const DRAFT_STATUSES: readonly DraftStatus[] = ["in-review", "needs-work", "ready", "published", "updated"];

export const DRAFT_STATUS_LABELS: Record<DraftStatus, string> = {
  "in-review": "In review",
  "needs-work": "Needs work",
  ready: "Ready",
  published: "Published",
  updated: "Updated",
};

/** Where a draft may go from each status: the core's rule, mirrored to offer only moves it accepts. */
export const NEXT_STATUSES: Record<DraftStatus, readonly DraftStatus[]> = {
  "in-review": ["needs-work", "ready"],
  "needs-work": ["in-review", "ready"],
  ready: ["in-review", "needs-work", "published"],
  published: ["updated"],
  updated: ["updated"],
};

/** Each rule's one name, as the core gives it (the reports' rules tables and the verdicts print the same). */
export const RULE_LABELS: Readonly<Record<RuleId, string>> = GENERATED_RULE_LABELS;

/** The confidential fields, in the order a source card lists them. */
export const CONFIDENTIAL_FIELDS: readonly { key: keyof ConfidentialRecorded; label: string }[] = [
  { key: "identity", label: "Identity" },
  { key: "contact", label: "Contact" },
  { key: "first_hand", label: "First-hand" },
  { key: "how_known", label: "How it knows" },
  { key: "anonymity_reason", label: "Reason for anonymity" },
  { key: "editor_knows", label: "Editor who knows" },
  { key: "approved_by", label: "Approved by" },
];

/** Who or what a claim is attributed to, as the core names it (the reports use the same words). */
export const ATTRIBUTED_TO_LABELS: Record<AttributedTo, string> = {
  named: "Named",
  unnamed: "Unnamed",
  document: "Document",
  "official-statement": "Official statement",
  "public-record": "Public record",
  "media-report": "Media report",
  "social-media": "Social media",
  other: "Other",
  none: "Not attributed",
};

/** "Unnamed (“Sources in”)": the core's attribution of a claim; where it comes from is shown apart. */
export function describeClaimAttribution(attribution: ClaimAttribution): string {
  const cue = attribution.cue ? ` (“${attribution.cue}”)` : "";
  return `${ATTRIBUTED_TO_LABELS[attribution.kind]}${cue}`;
}

/** Where the attribution comes from, in words: the reviewer's links, or a reading of the text. */
export function attributionBasis(attribution: ClaimAttribution): string {
  return attribution.from === "sources" ? "from its sources" : "read from the wording";
}

/** The confidential fields typed as text (first-hand is a yes/no). */
export type ConfidentialTextField = Exclude<keyof Confidential, "first_hand">;

export const CONFIDENTIAL_TEXT_FIELDS = CONFIDENTIAL_FIELDS.filter((f) => f.key !== "first_hand") as readonly {
  key: ConfidentialTextField;
  label: string;
}[];

/** A form's confidential side: each text field as typed, first-hand as "", "yes" or "no". */
export type ConfidentialForm = { text: Record<ConfidentialTextField, string>; firstHand: "" | "yes" | "no" };

export function emptyConfidentialForm(): ConfidentialForm {
  return { text: Object.fromEntries(CONFIDENTIAL_TEXT_FIELDS.map((f) => [f.key, ""])) as Record<ConfidentialTextField, string>, firstHand: "" };
}

/** What to send for a new source: blank fields are not recorded; null when nothing was entered. */
export function confidentialToSend(form: ConfidentialForm): Confidential | null {
  const text = Object.fromEntries(
    CONFIDENTIAL_TEXT_FIELDS.map((f) => [f.key, form.text[f.key].trim() === "" ? null : form.text[f.key]]),
  ) as Record<ConfidentialTextField, string | null>;
  const first_hand = form.firstHand === "" ? null : form.firstHand === "yes";
  if (first_hand === null && Object.values(text).every((v) => v === null)) return null;
  return { ...text, first_hand };
}

/** How many confidential fields are recorded. */
export function recordedCount(recorded: ConfidentialRecorded): number {
  return CONFIDENTIAL_FIELDS.filter((field) => recorded[field.key]).length;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** A claim's corroboration in a few words, e.g. "1 attributed (unnamed only) · 1 independent · 0 contradicting". */
export function corroborationParts(c: Corroboration): string[] {
  const parts = [`${c.attributed} attributed${c.attributed_only_to_unnamed ? " (unnamed only)" : ""}`];
  parts.push(`${c.independent_corroborations} independent`);
  if (c.dependent_evidence > 0) parts.push(plural(c.dependent_evidence, "dependent item", "dependent items"));
  parts.push(`${c.contradicting} contradicting`);
  return parts;
}

/**
 * The two-source rule's mark in the Draft review matrix, from the core's verdict (`rule`): "✓" met, what is
 * missing as "1/2" (independent corroborations of those needed) where it is not met, "n/a" where the rule asks
 * nothing of the claim. Three marks, never one "—" for two meanings (usertest F11).
 */
export function twoSourceMark(c: Corroboration): string {
  switch (c.rule) {
    case "met":
      return "✓";
    case "not-met":
      return `${c.independent_corroborations}/${c.needed}`;
    case "does-not-apply":
      return "n/a";
  }
}
