import { describe, expect, it } from "vitest";
import type { Corroboration } from "$lib/ipc";
import {
  CONFIDENTIAL_FIELDS,
  DRAFT_STATUSES,
  NEXT_STATUSES,
  confidentialToSend,
  corroborationParts,
  describeClaimChange,
  emptyConfidentialForm,
  recordedCount,
} from "./sourcing";

const corroboration = (over: Partial<Corroboration> = {}): Corroboration => ({
  claim: 1,
  attributed: 1,
  attributed_only_to_unnamed: true,
  independent_corroborations: 0,
  dependent_evidence: 0,
  contradicting: 0,
  needed: 2,
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

describe("a claim's history", () => {
  const name = (id: number) => (id === 4 ? "a senior Western diplomat" : `source ${id}`);
  const line = (action: string, before: object | null, after: object | null) =>
    describeClaimChange({ action, before: before && JSON.stringify(before), after: after && JSON.stringify(after) }, name);

  it("reads each audit entry as a line", () => {
    expect(line("claim.add", null, { status: "needs-corroboration" })).toBe("Tagged as a claim");
    expect(line("claim.status", { status: "needs-corroboration" }, { status: "corroborated" })).toBe("Status: Needs corroboration → Corroborated");
    expect(line("claim.link", null, { source: 4, role: "attributed" })).toBe("Linked a senior Western diplomat (attributed)");
    expect(line("claim.link", { source: 4, role: "attributed" }, { source: 4, role: "contradicts" })).toBe("a senior Western diplomat: attributed → contradicts");
    expect(line("claim.unlink", { source: 9, role: "corroborates" }, null)).toBe("Removed source 9");
    expect(line("claim.opinion", { opinion: false }, { opinion: true })).toBe("Marked as opinion");
    expect(describeClaimChange({ action: "claim.other-thing", before: "not json", after: null }, name)).toBe("Other thing");
  });

  it("shows the claim's link going with a removed source and coming back with it", () => {
    const links = [{ claim: 7, role: "attributed" }];
    const entry = (action: string, before: object | null, after: object | null) => ({
      action,
      entity: "source:4",
      before: before && JSON.stringify(before),
      after: after && JSON.stringify(after),
    });
    expect(describeClaimChange(entry("source.remove", { descriptor: "a plant manager", kind: "unnamed", links }, null), name)).toBe(
      "Link to a plant manager removed with the source",
    );
    expect(describeClaimChange(entry("source.restore", null, { descriptor: "a plant manager", kind: "unnamed", links }), name)).toBe(
      "Link to a plant manager restored with the source",
    );
    // Without a descriptor, by the source named in the entry.
    expect(describeClaimChange(entry("source.remove", { links }, null), name)).toBe("Link to a senior Western diplomat removed with the source");
  });

  it("never shows a raw audit key", () => {
    expect(line("claim.attribution", null, { attribution: "anonymous", cue: "Sources in", from: "suggestion" })).toBe(
      "Attribution: unnamed source (“Sources in”), from the suggestion",
    );
    expect(line("claim.personal-attack", { "personal-attack": false }, { "personal-attack": true })).toBe("Marked as an attack on a person");
    expect(line("claim.personal-attack", { "personal-attack": true }, { "personal-attack": false })).toBe("No longer marked as an attack on a person");
    for (const action of ["claim.attribution", "claim.personal-attack", "claim.remove", "claim.restore", "claim.move", "claim.whatever"]) {
      expect(line(action, null, {})).not.toMatch(/^claim\./);
    }
  });
});

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
