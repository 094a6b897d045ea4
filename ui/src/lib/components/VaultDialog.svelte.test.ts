// @vitest-environment jsdom
import { afterEach, describe, expect, it } from "vitest";
import { flushSync, mount, unmount } from "svelte";
import { byTestId, settle } from "../../tests/dom";
import { IpcError, type KeyringUnlock, type VaultApi, type VaultStatus } from "$lib/ipc";
import { VaultSession } from "$lib/vault/vault.svelte";
import VaultDialog from "./VaultDialog.svelte";
import { deskId } from "$lib/testing/ids";

/** A pretend core: one locked desk, one passphrase, and a keyring that is there or not. */
function core(keyring: { unavailable?: string; remembered?: boolean; stale?: boolean } = {}) {
  const state: VaultStatus = {
    desk: deskId(1),
    has_vault: true,
    unlocked: false,
    idle_minutes: 10,
    retry_after_seconds: 0,
    remembered: keyring.remembered ?? false,
    keyring_unavailable: keyring.unavailable ?? null,
    idle_minutes_refused: null,
  };
  const unlocks: { passphrase: string; remember: boolean }[] = [];
  const api: VaultApi = {
    vaultStatus: async () => ({ ...state }),
    unlockVault: async (passphrase, remember) => {
      unlocks.push({ passphrase, remember });
      if (passphrase !== "correct horse") throw new IpcError("wrong_passphrase", "wrong passphrase");
      state.unlocked = true;
      state.remembered = state.remembered || remember;
      return { ...state };
    },
    unlockVaultFromKeyring: async (): Promise<KeyringUnlock> => {
      if (keyring.stale) {
        state.remembered = false;
        return { outcome: "forgotten", reason: "The key remembered on this computer no longer opens this desk's vault" };
      }
      if (!state.remembered) return { outcome: "notRemembered" };
      state.unlocked = true;
      return { outcome: "unlocked" };
    },
    forgetVault: async () => ({ ...state, remembered: false }),
    lockVault: async () => ({ ...state, unlocked: false }),
    setUpVault: async () => "",
    setVaultIdleMinutes: async () => ({ ...state }),
    onVaultLocked: async () => () => {},
    backUpDatabase: async () => ({ path: "", bytes: 0 }),
    chooseBackupPath: async () => null,
  };
  return { api, unlocks };
}

let mounted: ReturnType<typeof mount> | null = null;
afterEach(() => {
  if (mounted) unmount(mounted);
  mounted = null;
  document.body.replaceChildren();
});

async function open(api: VaultApi) {
  const vault = new VaultSession(api);
  await vault.refresh();
  mounted = mount(VaultDialog, { target: document.body, props: { vault } });
  const unlocked = vault.ensureUnlocked();
  await settle();
  return { vault, unlocked };
}

function submit(passphrase: string) {
  const field = byTestId("vault-passphrase") as HTMLInputElement;
  field.value = passphrase;
  field.dispatchEvent(new Event("input", { bubbles: true }));
  flushSync();
  (byTestId("vault-unlock-submit") as HTMLButtonElement).click();
}

describe("Remember on this computer", () => {
  it("is off by default: an unlock does not remember unless ticked", async () => {
    const { api, unlocks } = core();
    const { unlocked } = await open(api);
    const box = byTestId("vault-remember") as HTMLInputElement;
    expect(box.checked).toBe(false);
    expect(box.disabled).toBe(false);
    expect(byTestId("vault-remember-hint")).toBeNull();
    submit("correct horse");
    expect(await unlocked).toBe(true);
    expect(unlocks).toEqual([{ passphrase: "correct horse", remember: false }]);
  });

  it("when ticked, asks the core to remember, and says what it means first", async () => {
    const { api, unlocks } = core();
    const { vault, unlocked } = await open(api);
    (byTestId("vault-remember") as HTMLInputElement).click();
    flushSync();
    expect(byTestId("vault-remember-hint")?.textContent).toContain("without the passphrase");
    submit("not it");
    await settle();
    expect(byTestId("vault-error")?.textContent).toContain("wrong passphrase");
    submit("correct horse");
    expect(await unlocked).toBe(true);
    expect(unlocks.map((u) => u.remember)).toEqual([true, true]);
    expect(vault.status?.remembered).toBe(true);
  });

  it("is disabled with the reason where there is no OS keyring", async () => {
    const { api, unlocks } = core({ unavailable: "no OS keyring is available here (no D-Bus session)" });
    const { unlocked } = await open(api);
    const box = byTestId("vault-remember") as HTMLInputElement;
    expect(box.disabled).toBe(true);
    expect(box.checked).toBe(false);
    expect(byTestId("vault-remember-unavailable")?.textContent).toContain("no D-Bus session");
    submit("correct horse");
    expect(await unlocked).toBe(true);
    expect(unlocks).toEqual([{ passphrase: "correct horse", remember: false }]);
  });

  it("a remembered desk unlocks from the keyring with no dialog", async () => {
    const { api, unlocks } = core({ remembered: true });
    const { vault, unlocked } = await open(api);
    expect(await unlocked).toBe(true);
    expect(vault.asking).toBeNull();
    expect(byTestId("vault-dialog")).toBeNull();
    expect(unlocks).toEqual([]);
  });

  it("a stale keyring item: the dialog says it was forgotten and asks the passphrase", async () => {
    const { api } = core({ remembered: true, stale: true });
    const { vault, unlocked } = await open(api);
    expect(vault.asking).toBe("unlock");
    expect(byTestId("vault-keyring-notice")?.textContent).toContain("no longer opens");
    expect(vault.status?.remembered).toBe(false);
    submit("correct horse");
    expect(await unlocked).toBe(true);
    expect(byTestId("vault-keyring-notice")).toBeNull();
  });
});
