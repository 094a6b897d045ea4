import { describe, expect, it } from "vitest";
import type { Corroboration } from "$lib/ipc";
import {
  CONFIDENTIAL_FIELDS,
  DRAFT_STATUSES,
  NEXT_STATUSES,
  confidentialToSend,
  corroborationParts,
  emptyConfidentialForm,
  recordedCount,
} from "./sourcing";
import { claimId } from "$lib/testing/ids";

const corroboration = (over: Partial<Corroboration> = {}): Corroboration => ({
  claim: claimId(1),
  attributed: 1,
  attributed_only_to_unnamed: true,
  independent_corroborations: 0,
  dependent_evidence: 0,
  contradicting: 0,
  needed: 2,
  rule: "not-met",
  two_source_rule: false,
  blocks_ready: true,
  verdict: "Two-source rule not met: attributed only to unnamed sources and has 0 independent corroborations of the 2 needed",
  ...over,
});

describe("sourcing labels", () => {
  it("reads a claim's corroboration in a few words", () => {
    expect(corroborationParts(corroboration())).toEqual(["1 attributed (unnamed only)", "0 independent", "0 contradicting"]);
    expect(corroborationParts(corroboration({ attributed_only_to_unnamed: false, dependent_evidence: 2, contradicting: 1 }))).toEqual([
      "1 attributed",
      "0 independent",
      "2 dependent items",
      "1 contradicting",
    ]);
  });

  it("counts recorded confidential fields without their content", () => {
    const none = Object.fromEntries(CONFIDENTIAL_FIELDS.map((f) => [f.key, false])) as never;
    expect(recordedCount(none)).toBe(0);
    expect(recordedCount({ ...(none as object), identity: true, editor_knows: true } as never)).toBe(2);
  });

  it("offers only the moves the workflow accepts", () => {
    for (const status of DRAFT_STATUSES) expect(NEXT_STATUSES[status]).not.toContain(status === "updated" ? "ready" : status);
    expect(NEXT_STATUSES.published).toEqual(["updated"]);
  });
});

// A claim's history is written by the core as sentences: crates/core/src/audit_labels.rs tests them.

describe("a new source's confidential side", () => {
  it("sends nothing when nothing was entered, and leaves blank fields unrecorded", () => {
    const form = emptyConfidentialForm();
    expect(confidentialToSend(form)).toBeNull();
    form.text.identity = "  ";
    expect(confidentialToSend(form)).toBeNull();
    form.text.identity = "Deputy head of mission";
    form.firstHand = "no";
    expect(confidentialToSend(form)).toEqual({
      identity: "Deputy head of mission",
      contact: null,
      first_hand: false,
      how_known: null,
      anonymity_reason: null,
      editor_knows: null,
      approved_by: null,
    });
    expect(confidentialToSend({ ...emptyConfidentialForm(), firstHand: "yes" })?.first_hand).toBe(true);
  });
});
