// @vitest-environment jsdom
import { afterEach, describe, expect, it } from "vitest";
import { flushSync, mount, unmount } from "svelte";
import { byTestId, settle } from "../../tests/dom";
import type { StoreView, TeamStoreApi } from "$lib/ipc";
import TeamStore from "./TeamStore.svelte";

let mounted: Record<string, unknown> | null = null;
afterEach(() => {
  if (mounted) unmount(mounted);
  mounted = null;
  document.body.replaceChildren();
});

const q = byTestId;
const file: StoreView = {
  team: false,
  label: "This computer · /home/ana/factdesk.db",
  url: null,
  connected: true,
  encrypted: false,
};

function type(testid: string, value: string) {
  const input = q(testid) as HTMLInputElement;
  input.value = value;
  input.dispatchEvent(new Event("input"));
}

describe("TeamStore", () => {
  it("says why a team store was refused, keeps the file in use, then connects and goes back", async () => {
    let inUse = file;
    const asked: (string | null)[] = [];
    const api: TeamStoreApi = {
      storeInUse: async () => inUse,
      connectTeamStore: async (url, password) => {
        asked.push(password);
        if (url.includes("nowhere")) {
          throw { code: "store", message: "cannot reach the PostgreSQL server at postgres://ana@nowhere:5432/desk: refused" };
        }
        inUse = { team: true, label: "Team store · newsdesk on db.example", url, connected: true, encrypted: true };
        return inUse;
      },
      useThisComputersFile: async () => (inUse = file),
    };
    const switched: StoreView[] = [];
    mounted = mount(TeamStore, { target: document.body, props: { api, onSwitched: (s: StoreView) => switched.push(s) } });
    await settle();
    expect(q("store-in-use")!.textContent).toContain("This computer");

    q("store-in-use")!.click();
    flushSync();
    type("team-store-url", "postgres://ana@nowhere:5432/desk");
    q("team-store-connect")!.closest("form")!.dispatchEvent(new SubmitEvent("submit", { cancelable: true }));
    await settle();
    expect(q("team-store-error")!.textContent).toContain("cannot reach");
    expect(q("team-store-dialog")).not.toBeNull();
    expect(q("store-in-use")!.textContent).toContain("This computer");
    expect(switched).toEqual([]);

    type("team-store-url", "postgres://ana@db.example:5432/newsdesk");
    type("team-store-password", "s3cret");
    q("team-store-connect")!.closest("form")!.dispatchEvent(new SubmitEvent("submit", { cancelable: true }));
    await settle();
    expect(q("team-store-dialog")).toBeNull();
    expect(q("store-in-use")!.textContent).toContain("Team store · newsdesk on db.example");
    expect(asked).toEqual([null, "s3cret"]);
    expect(switched.map((s) => s.team)).toEqual([true]);

    q("store-in-use")!.click();
    flushSync();
    // The password typed before is not kept by the dialog.
    expect((q("team-store-password") as HTMLInputElement).value).toBe("");
    q("team-store-use-file")!.click();
    await settle();
    expect(q("store-in-use")!.textContent).toContain("This computer");
    expect(switched.map((s) => s.team)).toEqual([true, false]);
  });

  it("says whether the team store's connection is encrypted, and nothing of the kind for the file", async () => {
    let inUse = file;
    const api: TeamStoreApi = {
      storeInUse: async () => inUse,
      connectTeamStore: async (url) => {
        inUse = { team: true, label: "Team store · newsdesk on db.example", url, connected: true, encrypted: url.includes("sslmode=require") };
        return inUse;
      },
      useThisComputersFile: async () => (inUse = file),
    };
    mounted = mount(TeamStore, { target: document.body, props: { api, onSwitched: () => {} } });
    await settle();
    q("store-in-use")!.click();
    flushSync();
    expect(q("team-store-encryption")).toBeNull();

    for (const [url, said, encrypted] of [
      ["postgres://ana@db.example/newsdesk?sslmode=require", "Connection: Encrypted (TLS)", "true"],
      ["postgres://ana@db.example/newsdesk?sslmode=disable", "Connection: Not encrypted", "false"],
    ]) {
      type("team-store-url", url);
      q("team-store-connect")!.closest("form")!.dispatchEvent(new SubmitEvent("submit", { cancelable: true }));
      await settle();
      expect(q("store-in-use")!.title).toContain(said.replace("Connection: ", ""));
      q("store-in-use")!.click();
      flushSync();
      expect(q("team-store-encryption")!.textContent).toContain(said);
      expect(q("team-store-encryption")!.dataset.encrypted).toBe(encrypted);
    }
  });
});
