import { describe, expect, it } from "vitest";
import { IpcError, type VaultApi, type VaultStatus } from "$lib/ipc";
import { VaultSession, withUnlock } from "./vault.svelte";
import { deskId } from "$lib/testing/ids";

/** A pretend core: one desk with a vault, unlocked by one passphrase. */
function core() {
  const state: VaultStatus = { desk: deskId(1), has_vault: true, unlocked: false, idle_minutes: 10, retry_after_seconds: 0, remembered: false, keyring_unavailable: null, idle_minutes_refused: null };
  const calls: string[] = [];
  const api: Omit<VaultApi, "onVaultLocked" | "backUpDatabase" | "chooseBackupPath"> = {
    vaultStatus: async () => ({ ...state }),
    unlockVault: async (passphrase) => {
      calls.push("unlock");
      if (passphrase !== "correct horse") throw new IpcError("wrong_passphrase", "wrong passphrase: the vault stays locked and nothing was changed");
      state.unlocked = true;
      return { ...state };
    },
    lockVault: async () => {
      state.unlocked = false;
      return { ...state };
    },
    setUpVault: async () => "0000",
    setVaultIdleMinutes: async (minutes) => ({ ...state, idle_minutes: minutes }),
  };
  const reveal = async () => {
    calls.push("reveal");
    if (!state.unlocked) throw new IpcError("vault_locked", "the vault of desk 1 is locked");
    return "revealed";
  };
  return { state, calls, api: api as VaultApi, reveal };
}

describe("the vault in the window", () => {
  it("asks for the passphrase when the core says locked, then runs the action again", async () => {
    const { api, calls, reveal } = core();
    const vault = new VaultSession(api);
    await vault.refresh();
    const result = withUnlock(vault, reveal);
    await Promise.resolve();
    await Promise.resolve();
    expect(vault.asking).toBe("unlock");
    await expect(vault.unlock("not it")).rejects.toThrow("wrong passphrase");
    expect(vault.asking).toBe("unlock");
    await vault.unlock("correct horse");
    expect(await result).toBe("revealed");
    expect(calls).toEqual(["reveal", "unlock", "unlock", "reveal"]);
    expect(vault.asking).toBeNull();
  });

  it("gives up quietly when the reviewer cancels, and tells panels when it locks", async () => {
    const { api, reveal } = core();
    const vault = new VaultSession(api);
    await vault.refresh();
    const result = withUnlock(vault, reveal);
    await new Promise((resolve) => setTimeout(resolve, 0));
    vault.cancel();
    expect(await result).toBeUndefined();
    const before = vault.lockedRevision;
    vault.markLocked();
    expect(vault.lockedRevision).toBe(before + 1);
    expect(vault.status?.unlocked).toBe(false);
  });

  it("passes other errors through untouched", async () => {
    const { api } = core();
    const vault = new VaultSession(api);
    await expect(withUnlock(vault, async () => Promise.reject(new IpcError("store", "disk full")))).rejects.toThrow("disk full");
    expect(vault.asking).toBeNull();
  });
});
