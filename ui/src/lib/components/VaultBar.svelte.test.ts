// @vitest-environment jsdom
import { afterEach, describe, expect, it } from "vitest";
import { mount, unmount } from "svelte";
import { byTestId, settle } from "../../tests/dom";
import type { VaultApi, VaultStatus } from "$lib/ipc";
import { VaultSession } from "$lib/vault/vault.svelte";
import VaultBar from "./VaultBar.svelte";
import { deskId } from "$lib/testing/ids";

/** A pretend core: a locked desk's vault, its idle time, and whether this login may change it. */
function api(refused: string | null): VaultApi {
  const state: VaultStatus = {
    desk: deskId(1),
    has_vault: true,
    unlocked: false,
    idle_minutes: 10,
    retry_after_seconds: 0,
    remembered: false,
    keyring_unavailable: null,
    idle_minutes_refused: refused,
  };
  return {
    vaultStatus: async () => ({ ...state }),
    unlockVault: async () => ({ ...state }),
    unlockVaultFromKeyring: async () => ({ outcome: "notRemembered" }),
    forgetVault: async () => ({ ...state }),
    lockVault: async () => ({ ...state }),
    setUpVault: async () => "",
    setVaultIdleMinutes: async (minutes) => ({ ...state, idle_minutes: minutes }),
    onVaultLocked: async () => () => {},
    backUpDatabase: async () => ({ path: "", bytes: 0 }),
    chooseBackupPath: async () => null,
  };
}

let mounted: ReturnType<typeof mount> | null = null;
afterEach(() => {
  if (mounted) unmount(mounted);
  mounted = null;
  document.body.replaceChildren();
});

async function show(refused: string | null) {
  const vault = new VaultSession(api(refused));
  await vault.refresh();
  mounted = mount(VaultBar, { target: document.body, props: { vault, api: api(refused), teamStore: refused !== null } });
  await settle();
}

describe("the vault bar's idle time", () => {
  it("is a number to change for whom may change it", async () => {
    await show(null);
    const field = byTestId("vault-idle-minutes") as HTMLInputElement;
    expect(field.tagName).toBe("INPUT");
    expect(field.disabled).toBe(false);
    expect(field.value).toBe("10");
  });

  it("is plain text to whom may not, with the core's reason: no spinner that looks live (teamtry P3)", async () => {
    await show("You may not change the idle time: on a team store the store's owner sets it");
    expect(document.querySelector('input[data-testid="vault-idle-minutes"]')).toBeNull();
    expect(byTestId("vault-idle-text")!.textContent!.replace(/\s+/g, " ").trim()).toBe("Locks after 10 min unused");
    expect(byTestId("vault-idle-refused")!.textContent).toContain("You may not change the idle time");
  });
});
