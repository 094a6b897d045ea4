import { describe, expect, it } from "vitest";
import type { SourcingProfile } from "$lib/ipc";
import { describeAttribution, profileParts, stepSuggestion, unnamedShare } from "./suggestions";

const profile = (over: Partial<SourcingProfile> = {}): SourcingProfile => ({
  claims: 12,
  named: 3,
  anonymous: 7,
  document: 1,
  unattributed: 1,
  unnamed_share: 7 / 12,
  named_per_unnamed: 3 / 7,
  figures_without_unit: [],
  unattributed_claims: [],
  editors_note: null,
  ...over,
});

describe("suggestion wording", () => {
  it("names the attribution with the draft's own words", () => {
    expect(describeAttribution({ attribution: { kind: "anonymous", cue: "Sources tell Strike Source" } })).toBe(
      "Unnamed source: “Sources tell Strike Source”",
    );
    expect(describeAttribution({ attribution: { kind: "none", cue: null } })).toBe("No attribution");
  });

  it("sums up the sourcing mix, largest first, without empty kinds", () => {
    expect(profileParts(profile()).map((p) => `${p.count} ${p.label}`)).toEqual(["7 unnamed", "3 named", "1 document", "1 unattributed"]);
    expect(profileParts(profile({ document: 0, unattributed: 0, named: 0 })).map((p) => p.kind)).toEqual(["anonymous"]);
    expect(unnamedShare(profile())).toBe("58 % unnamed");
  });
});

describe("stepSuggestion", () => {
  const list = [{ start: 40 }, { start: 5 }, { start: 90 }];
  it("walks the suggestions in reading order from the open one, staying at the ends", () => {
    expect(stepSuggestion(list, null, 1)?.start).toBe(5);
    expect(stepSuggestion(list, null, -1)?.start).toBe(90);
    expect(stepSuggestion(list, 5, 1)?.start).toBe(40);
    expect(stepSuggestion(list, 40, -1)?.start).toBe(5);
    expect(stepSuggestion(list, 90, 1)?.start).toBe(90);
    expect(stepSuggestion(list, 5, -1)?.start).toBe(5);
    // The open one was accepted and is gone: the next is the one after where it was.
    expect(stepSuggestion(list, 20, 1)?.start).toBe(40);
    expect(stepSuggestion([], null, 1)).toBeNull();
  });
});
