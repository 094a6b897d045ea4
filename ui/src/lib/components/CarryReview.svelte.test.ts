// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { mountOnPage, settleTicks, byTestId } from "../../tests/dom";
import CarryReview from "./CarryReview.svelte";
import { draftId } from "$lib/testing/ids";
import type { CarryApi, DraftId, ReviewCarry } from "$lib/ipc";

const mountComponent = mountOnPage();
const settle = settleTicks;
const q = byTestId;

/** A backend that answers with `offer` and logs what is carried where. */
function fakeCarry(offer: ReviewCarry | null): CarryApi & { carried: string[] } {
  return {
    carried: [],
    async reviewCarry() {
      return offer;
    },
    async carryReview(from, to) {
      this.carried.push(`${from} → ${to}`);
      return draftId(3);
    },
  };
}

const OFFER: ReviewCarry = {
  from: "bo/story.md",
  targets: [
    { draft: draftId(8), path: "cy/story.md", hint: "same-text" },
    { draft: draftId(9), path: "archive/story.md", hint: "same-name" },
    { draft: draftId(5), path: "shared.md", hint: null },
  ],
  refused: null,
};

describe("CarryReview", () => {
  it("offers to carry the missing draft's review to the likely file, and carries it only once confirmed", async () => {
    const api = fakeCarry(OFFER);
    const opened: DraftId[] = [];
    mountComponent(CarryReview, { props: { api, draft: draftId(3), onCarried: (d: DraftId) => opened.push(d) } });
    await settle();
    expect(q("carry-likely")!.textContent).toBe("Likely: cy/story.md (same text).");
    q("carry-open")!.click();
    await settle();
    const choice = q("carry-target") as HTMLSelectElement;
    expect(choice.value).toBe("cy/story.md");
    expect([...choice.options].map((o) => o.textContent)).toEqual(["cy/story.md (same text)", "archive/story.md (same file name)", "shared.md"]);
    choice.value = "archive/story.md";
    choice.dispatchEvent(new Event("change"));
    q("carry-form")!.dispatchEvent(new SubmitEvent("submit", { cancelable: true }));
    await settle();
    expect(q("carry-confirm")!.textContent).toContain("go to archive/story.md");
    expect(api.carried).toEqual([]);
    q("carry-yes")!.click();
    await settle();
    expect(api.carried).toEqual(["bo/story.md → archive/story.md"]);
    expect(opened).toEqual([3]);
  });

  it("tells someone who may not carry it the core's line, and offers nothing", async () => {
    const line = "Moved out of bo/? Its review stays with this missing draft: someone with the editor or standards editor role can carry it to the new file.";
    mountComponent(CarryReview, { props: { api: fakeCarry({ from: "bo/story.md", targets: [], refused: line }), draft: draftId(3), onCarried: () => {} } });
    await settle();
    expect(q("carry-refused")!.textContent).toBe(line);
    expect(q("carry-open")).toBeNull();
  });

  it("shows nothing for a draft with no review to carry", async () => {
    mountComponent(CarryReview, { props: { api: fakeCarry(null), draft: draftId(3), onCarried: () => {} } });
    await settle();
    expect(q("carry-review")).toBeNull();
  });
});
