// @vitest-environment jsdom
import { afterEach, describe, expect, it } from "vitest";
import { flushSync, mount, unmount } from "svelte";
import { byTestId, settle } from "../../tests/dom";
import type { DeskPerson, SettingsApi } from "$lib/ipc";
import ReviewerName from "./ReviewerName.svelte";
import { unnamedReviewer } from "$lib/claims/unnamed-reviewer.svelte";
import { actorName } from "$lib/claims/claims";

let mounted: Record<string, unknown> | null = null;
afterEach(() => {
  unnamedReviewer.login = null;
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
  it("on this computer's file with no name yet, asks who is reviewing and reads the login's changes as you until then", async () => {
    let saved: string | null = null;
    const api: SettingsApi = {
      reviewerName: async () => saved ?? "root",
      reviewerIsSet: async () => saved !== null,
      setReviewerName: async (name) => (saved = name.trim()),
    };
    mounted = mount(ReviewerName, { target: document.body, props: { api, team: false } });
    await settle();
    expect(q("reviewer-first-start")).not.toBeNull();
    expect(unnamedReviewer.login).toBe("root");
    expect(actorName("root")).toBe("you");

    const input = q("reviewer-input") as HTMLInputElement;
    input.value = "Amina Yusuf";
    input.dispatchEvent(new Event("input"));
    q("reviewer-form")!.dispatchEvent(new SubmitEvent("submit", { cancelable: true }));
    await settle();
    expect(q("reviewer-name")!.textContent).toContain("Amina Yusuf");
    expect(unnamedReviewer.login).toBeNull();
  });

  it("on a team store, asks no name: it shows the login every change is recorded as, and offers no change", async () => {
    const asked: string[] = [];
    const api: SettingsApi = {
      reviewerName: async () => "bo",
      reviewerIsSet: async () => {
        asked.push("reviewerIsSet");
        return false;
      },
      setReviewerName: async (name) => name,
    };
    mounted = mount(ReviewerName, { target: document.body, props: { api, team: true } });
    await settle();
    expect(q("reviewer-first-start")).toBeNull();
    expect(q("reviewer-form")).toBeNull();
    const shown = q("reviewer-name")!;
    expect(shown.textContent).toContain("bo");
    expect(shown.tagName).toBe("SPAN");
    expect(shown.dataset.team).toBe("true");
    expect(unnamedReviewer.login).toBeNull();
    expect(actorName("bo")).toBe("bo");
  });

  it("asks nothing while the store in use is not known yet", async () => {
    let reads = 0;
    const api: SettingsApi = {
      reviewerName: async () => {
        reads += 1;
        return "root";
      },
      reviewerIsSet: async () => false,
      setReviewerName: async (name) => name,
    };
    mounted = mount(ReviewerName, { target: document.body, props: { api, team: null } });
    await settle();
    expect(reads).toBe(0);
    expect(q("reviewer-form")).toBeNull();
  });

  it("says the reviewer's role on the open desk beside the name, and none on a desk without people", async () => {
    let people: DeskPerson[] = [
      { name: "bo", role: "reporter" },
      { name: "eve", role: "standards-editor" },
    ];
    const api = {
      reviewerName: async () => "eve",
      setReviewerName: async (name: string) => name,
      deskPeople: async () => people,
    };
    const props = $state({ api, team: true, desk: "/desks/news" as string | null });
    mounted = mount(ReviewerName, { target: document.body, props });
    await settle();
    expect(q("reviewer-name")!.textContent).toMatch(/Reviewing as eve · standards editor\s*$/);

    // Another desk, where eve is not one of the people: said so (she may do nothing there).
    people = [{ name: "bo", role: "editor" }];
    props.desk = "/desks/sport";
    await settle();
    expect(q("reviewer-role")!.textContent).toBe(" · not one of this desk's people");

    people = [];
    props.desk = "/desks/solo";
    await settle();
    expect(q("reviewer-role")).toBeNull();
    expect(q("reviewer-name")!.textContent!.trim()).toBe("Reviewing as eve");
  });
});
