// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { mountOnPage, settleTicks, byTestId } from "../../tests/dom";
import Sidebar from "./Sidebar.svelte";

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
