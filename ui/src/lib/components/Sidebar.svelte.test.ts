// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { mountOnPage, settleTicks, byTestId } from "../../tests/dom";
import Sidebar from "./Sidebar.svelte";
import type { InboxEntry } from "$lib/ipc";
import { draftId, inboxId } from "$lib/testing/ids";

const mountComponent = mountOnPage();

const empty = {
  drafts: [],
  selectedId: null,
  problems: [],
  notices: [],
  watchNotice: null,
  problemCount: 0,
  onSelect: () => {},
  onClearNotices: () => {},
};

describe("Sidebar's empty drafts list", () => {
  it("tells a reporter who sees none of the desk's drafts where theirs go, not that the folder is empty (teamtry C1)", async () => {
    mountComponent(Sidebar, { props: { ...empty, reporterFolder: "bo" } });
    await settleTicks();
    const said = byTestId("empty-desk")!.textContent!;
    expect(said).toContain("None of this desk's drafts are yours yet");
    expect(said).toContain("bo/");
    expect(said).not.toContain("No drafts in this folder yet");
  });

  it("says the folder has no drafts to anyone else", async () => {
    mountComponent(Sidebar, { props: { ...empty } });
    await settleTicks();
    expect(byTestId("empty-desk")!.textContent).toContain("No drafts in this folder yet");
  });
});

describe("Sidebar's tabs", () => {
  const click = async (testid: string) => {
    (byTestId(testid) as HTMLButtonElement).click();
    await settleTicks();
  };

  it("says what an empty inbox would hold, not a blank panel (teamtry P11)", async () => {
    mountComponent(Sidebar, { props: { ...empty } });
    await settleTicks();
    await click("tab-inbox");
    const said = byTestId("inbox-empty")!.textContent!;
    expect(said).toContain("Nothing assigned to you or mentioning you yet");
    expect(said).toContain("mentions you");
  });

  it("keeps the inbox's tooltip short, with the unread count in words (teamtry P1: a long one ran off the window)", async () => {
    const entry: InboxEntry = { id: inboxId(1), kind: "mention", draft: draftId(1), draft_path: "t.md", draft_title: "T", claim: null, quote: null, note: "n", due: null, from: "eve", at: "2026-12-01T10:00:00Z", read: false };
    mountComponent(Sidebar, { props: { ...empty, inbox: [entry] } });
    await settleTicks();
    const title = byTestId("tab-inbox")!.getAttribute("title")!;
    expect(title).toBe("Assignments and mentions: 1 unread");
  });

  it("names the assigned tab short enough for five tabs in two rows (teamtry P10), its tooltip saying the rest", async () => {
    mountComponent(Sidebar, { props: { ...empty } });
    await settleTicks();
    const tab = byTestId("tab-assigned")!;
    expect(tab.textContent!.trim()).toMatch(/^Assigned\s+0$/);
    expect(tab.getAttribute("title")).toBe("Claims and drafts assigned to you");
  });
});
