// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { mountOnPage, settleTicks, byTestId } from "../../tests/dom";
import { invalidate } from "$lib/state/invalidation";
import ClaimAssignment from "./ClaimAssignment.svelte";
import { claimId } from "$lib/testing/ids";

const mountComponent = mountOnPage();
const settle = settleTicks;
const q = byTestId;

describe("ClaimAssignment", () => {
  it("keeps a half-filled assignment form open when the claims pane reads the review again and the claim is the same", async () => {
    let reads = 0;
    const api = {
      assignmentOf: async () => {
        reads++;
        return null;
      },
      assign: async () => {
        throw new Error("not in this test");
      },
      unassign: async () => {
        throw new Error("not in this test");
      },
    };
    // As the claims pane passes it: the id of the selected claim's view, which each reload of the review replaces.
    const pane = $state({ selected: { id: claimId(4) } });
    mountComponent(ClaimAssignment, {
      props: {
        api,
        get claim() {
          return pane.selected.id;
        },
      },
    });
    await settle();
    q("assign-open")!.click();
    await settle();
    const to = q("assign-to") as HTMLInputElement;
    to.value = "ben";
    to.dispatchEvent(new Event("input"));

    // Another person's change: the review is read again, and the pane's selected claim is a new view of the same claim.
    invalidate("review");
    pane.selected = { id: claimId(4) };
    await settle();
    expect((q("assign-to") as HTMLInputElement | null)?.value).toBe("ben");
    expect(reads).toBe(2);

    // Another claim: its own assignment, the form closed.
    pane.selected = { id: claimId(5) };
    await settle();
    expect(q("assign-to")).toBeNull();
  });
});
