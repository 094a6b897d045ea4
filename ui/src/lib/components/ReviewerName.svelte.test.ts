// @vitest-environment jsdom
import { afterEach, describe, expect, it } from "vitest";
import { flushSync, mount, unmount } from "svelte";
import { byTestId, settle } from "../../tests/dom";
import type { SettingsApi } from "$lib/ipc";
import ReviewerName from "./ReviewerName.svelte";

let mounted: Record<string, unknown> | null = null;
afterEach(() => {
  if (mounted) unmount(mounted);
  mounted = null;
  document.body.replaceChildren();
});

const q = byTestId;

describe("ReviewerName", () => {
  it("shows who is reviewing and saves a new name, or says why it cannot", async () => {
    let saved = "root";
    const api: SettingsApi = {
      reviewerName: async () => saved,
      setReviewerName: async (name) => {
        if (!name.trim()) throw { code: "invalid_input", message: "the reviewer's name cannot be empty" };
        saved = name.trim();
        return saved;
      },
    };
    mounted = mount(ReviewerName, { target: document.body, props: { api } });
    await settle();
    expect(q("reviewer-name")!.textContent).toContain("root");

    q("reviewer-name")!.click();
    flushSync();
    const input = q("reviewer-input") as HTMLInputElement;
    input.value = "   ";
    input.dispatchEvent(new Event("input"));
    q("reviewer-form")!.dispatchEvent(new SubmitEvent("submit", { cancelable: true }));
    await settle();
    expect(q("reviewer-error")!.textContent).toContain("cannot be empty");

    input.value = " Amina Yusuf ";
    input.dispatchEvent(new Event("input"));
    q("reviewer-form")!.dispatchEvent(new SubmitEvent("submit", { cancelable: true }));
    await settle();
    expect(q("reviewer-name")!.textContent).toContain("Amina Yusuf");
    expect(saved).toBe("Amina Yusuf");
  });
});
