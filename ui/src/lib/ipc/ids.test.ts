// The ID types are branded (src-tauri/bindings.rs): a draft's ID passed where a claim's is wanted, or a bare
// number where any ID is wanted, does not type-check. These lines are checked by `npm run check`
// (svelte-check fails on a `@ts-expect-error` that has no error under it); vitest runs the rest.

import { describe, expect, it } from "vitest";
import type { commands } from "./bindings";
import type { ClaimId, SourcingApi } from "$lib/ipc";
import { claimId, draftId, sourceId } from "$lib/testing/ids";

const takesClaim = (claim: ClaimId): ClaimId => claim;

describe("ID types", () => {
  it("keep one kind of ID from standing in for another", () => {
    // @ts-expect-error a DraftId is not a ClaimId
    takesClaim(draftId(3));
    // @ts-expect-error a SourceId is not a ClaimId
    takesClaim(sourceId(3));
    // @ts-expect-error a bare number is no ID
    takesClaim(3);
    // The generated commands and the UI's own interfaces take the branded types.
    // @ts-expect-error claimSources takes a ClaimId
    const wrongCommand: Parameters<typeof commands.claimSources>[0] = draftId(3);
    const misuse = (api: SourcingApi) =>
      // @ts-expect-error linkSource takes (claim, source): the IDs swapped do not type-check
      api.linkSource(sourceId(1), claimId(2), "attributed");
    expect(wrongCommand).toBe(3);
    expect(typeof misuse).toBe("function");
  });

  it("are their numbers at run time, and read as numbers", () => {
    const claim = claimId(3);
    expect(takesClaim(claim)).toBe(3);
    const asNumber: number = claim;
    expect(asNumber + 1).toBe(4);
    expect(JSON.stringify({ claim })).toBe('{"claim":3}');
  });
});
