// @vitest-environment jsdom
import { afterEach, describe, expect, it } from "vitest";
import { flushSync, mount, unmount } from "svelte";
import { byTestId, settle } from "../../tests/dom";
import type { HistoryApi, VersionComparison, VersionSummary } from "$lib/ipc";
import HistoryView from "./HistoryView.svelte";
import { claimId, draftId, versionId } from "$lib/testing/ids";

const summary = (id: number, number: number, current: boolean, moved = 0): VersionSummary => ({
  id: versionId(id),
  number,
  current,
  seen_at: `2026-11-29T0${number}:00:00Z`,
  words: 9,
  characters: 50,
  bytes: 52,
  claims: { anchored: 1 - moved, moved, fuzzy: 0, ambiguous: 0, orphaned: 0 },
  claims_displaced: moved,
});

const OLD = "Rates rise 12 percent. <b>Owners</b> object.";
const NEW = "Update.\n\nRates rise 14 percent. <b>Owners</b> object.";

class FakeHistory implements HistoryApi {
  calls: string[] = [];
  versions = [summary(3, 1, false), summary(5, 2, true, 1)];
  async draftHistory(draft: number) {
    this.calls.push(`history ${draft}`);
    return this.versions;
  }
  async compareVersions(draft: number, from: number, to: number): Promise<VersionComparison> {
    this.calls.push(`compare ${draft} ${from} ${to}`);
    return {
      draft: draftId(draft),
      from: { version: this.versions[0], text: OLD, changed: [{ start: 11, end: 13 }], claims: [{ claim: claimId(8), status: "disputed", state: "anchored", start: 0, end: 21 }], unplaced: [] },
      to: {
        version: this.versions[1],
        text: NEW,
        changed: [{ start: 0, end: 9 }, { start: 20, end: 22 }],
        claims: [{ claim: claimId(8), status: "disputed", state: "fuzzy", start: 9, end: 30 }],
        unplaced: [],
      },
    };
  }
}

let mounted: Record<string, unknown> | null = null;
afterEach(() => {
  if (mounted) unmount(mounted);
  mounted = null;
  document.body.replaceChildren();
});

const q = byTestId;

describe("HistoryView", () => {
  it("lists the versions and compares the last edit, with claims and changes on both sides", async () => {
    const api = new FakeHistory();
    const picked: number[] = [];
    let closed = 0;
    mounted = mount(HistoryView, {
      target: document.body,
      props: { api, draft: draftId(2), title: "Rates", onClose: () => closed++, onSelectClaim: (id: number) => picked.push(id) },
    });
    await settle();
    expect(api.calls).toEqual(["history 2", "compare 2 3 5"]);
    const rows = [...document.querySelectorAll('[data-testid="history-version"]')];
    expect(rows.map((row) => row.querySelector("button")!.textContent!.trim())).toEqual(["Version 1", "Version 2 (current)"]);
    expect(rows[1].querySelector('[data-testid="history-claims"]')!.textContent).toContain("1 moved");

    const from = q("diff-from")!;
    const to = q("diff-to")!;
    expect(from.querySelector("del")!.textContent).toBe("12");
    expect([...to.querySelectorAll("ins")].map((n) => n.textContent)).toEqual(["Update.\n\n", "14"]);
    expect(from.querySelector('[data-testid="diff-claim"]')!.getAttribute("data-status")).toBe("disputed");
    expect(to.querySelector('[data-testid="diff-claim"]')!.getAttribute("data-state")).toBe("fuzzy");
    // Draft text stays text.
    expect(q("history")!.querySelectorAll("b")).toHaveLength(0);
    expect(to.textContent).toContain("<b>Owners</b>");

    (to.querySelector('[data-testid="diff-claim"]') as HTMLElement).click();
    expect(picked).toEqual([8]);
    window.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape" }));
    expect(closed).toBe(1);
  });

  it("shows the edit that made a version when its row is picked", async () => {
    const api = new FakeHistory();
    api.versions = [summary(3, 1, false), summary(5, 2, false), summary(7, 3, true)];
    mounted = mount(HistoryView, { target: document.body, props: { api, draft: draftId(2), title: "Rates", onClose: () => {} } });
    await settle();
    expect(api.calls.at(-1)).toBe("compare 2 5 7");
    (document.querySelectorAll('[data-testid="history-version"]')[1].querySelector("button") as HTMLElement).click();
    await settle();
    expect(api.calls.at(-1)).toBe("compare 2 3 5");
  });

  it("says what went wrong when the history cannot be read", async () => {
    const api = new FakeHistory();
    api.draftHistory = async () => {
      throw { code: "not_found", message: "Draft 2 is not on the open desk." };
    };
    mounted = mount(HistoryView, { target: document.body, props: { api, draft: draftId(2), title: "Rates", onClose: () => {} } });
    await settle();
    expect(q("history-error")!.textContent).toContain("not on the open desk");
  });
});
