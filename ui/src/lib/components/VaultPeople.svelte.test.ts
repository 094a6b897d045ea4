// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { allByTestId, byTestId, mountOnPage, settleTicks, typeInto } from "../../tests/dom";
import VaultPeople from "./VaultPeople.svelte";
import { IpcError, type VaultAccess, type VaultApi, type VaultHolder, type VaultStatus } from "$lib/ipc";
import { VaultSession } from "$lib/vault/vault.svelte";
import { deskId } from "$lib/testing/ids";

const mountComponent = mountOnPage();
const settle = settleTicks;
const q = byTestId;
const all = allByTestId;
const type = typeInto;

/**
 * A pretend core for a desk with people: Sue (standards editor) holds the key; Sam (standards editor) and
 * Ed (an editor no source names) may be offered it; the core refuses Ed, naming the role.
 */
function core(role: "standards-editor" | "admin" | "reporter" = "standards-editor") {
  const status: VaultStatus = { desk: deskId(1), has_vault: true, unlocked: false, idle_minutes: 10, retry_after_seconds: 0, remembered: false, keyring_unavailable: null, idle_minutes_refused: null };
  const holders: VaultHolder[] = [{ name: "Sue", role: "standards-editor" }];
  const people: VaultHolder[] = [{ name: "Ed", role: "editor" }, { name: "Sam", role: "standards-editor" }];
  const calls: string[] = [];
  const access = (): VaultAccess | null =>
    role === "reporter"
      ? null
      : { holders: [...holders], candidates: people.filter((p) => !holders.some((h) => h.name === p.name)), may_grant: role === "standards-editor", may_revoke: true };
  const api = {
    vaultStatus: async () => ({ ...status }),
    unlockVault: async (passphrase: string) => {
      calls.push("unlockVault");
      if (passphrase !== "Sue's passphrase") throw new IpcError("wrong_passphrase", "wrong passphrase");
      status.unlocked = true;
      return { ...status };
    },
    lockVault: async () => ({ ...status, unlocked: false }),
    setUpVault: async () => "",
    setVaultIdleMinutes: async () => ({ ...status }),
    vaultAccess: async () => access(),
    grantVault: async (person: string, passphrase: string, again: string) => {
      calls.push(`grantVault ${person} ${passphrase === again ? "same" : "differ"}`);
      if (!status.unlocked) throw new IpcError("vault_locked", "the vault of desk 1 is locked");
      if (person === "Ed") throw new IpcError("invalid_input", "Ed (editor) may not unlock the vault here: it needs the standards editor or editor role");
      holders.push(people.find((p) => p.name === person)!);
      return access();
    },
    revokeVault: async (person: string) => {
      calls.push(`revokeVault ${person}`);
      holders.splice(holders.findIndex((h) => h.name === person), 1);
      return access();
    },
  };
  return { api: api as unknown as VaultApi, calls, status };
}

describe("VaultPeople", () => {
  it("lists who holds the key and gives access, asking to unlock first, with the passphrase typed twice and cleared", async () => {
    const { api, calls } = core();
    const vault = new VaultSession(api);
    await vault.refresh();
    mountComponent(VaultPeople, { props: { vault } });
    await settle();
    expect(all("vault-holder").map((h) => h.dataset.name)).toEqual(["Sue"]);
    expect(q("vault-holder-role")!.textContent).toBe("standards editor");

    q("vault-give-open")!.click();
    await settle();
    // Locked: the form says so before anything is typed.
    expect(q("vault-give-locked")!.textContent).toContain("must be unlocked");
    expect((q("vault-give-passphrase") as HTMLInputElement).type).toBe("password");
    expect((q("vault-give-again") as HTMLInputElement).type).toBe("password");
    (q("vault-give-person") as HTMLSelectElement).value = "Sam";
    q("vault-give-person")!.dispatchEvent(new Event("change"));
    type("vault-give-passphrase", "Sam's new passphrase");
    type("vault-give-again", "Sam's new passphrase");
    q("vault-give-form")!.dispatchEvent(new SubmitEvent("submit", { cancelable: true }));
    await settle();
    // The core said locked: the unlock dialog is asked for, and the grant runs again once unlocked.
    expect(vault.asking).toBe("unlock");
    // The vault found locked closes the form, the passphrases with it (the grant asked for keeps them).
    expect(q("vault-give-form")).toBeNull();
    await vault.unlock("Sue's passphrase");
    await settle();
    expect(calls).toEqual(["grantVault Sam same", "unlockVault", "grantVault Sam same"]);
    expect(all("vault-holder").map((h) => h.dataset.name)).toEqual(["Sue", "Sam"]);
    expect(q("vault-people-done")!.textContent).toContain("Sam now holds the desk key");
    expect(document.body.textContent).not.toContain("Sam's new passphrase");
  });

  it("shows the core's refusal, naming the role, for a person who may not hold the key", async () => {
    const { api, status } = core();
    status.unlocked = true;
    const vault = new VaultSession(api);
    await vault.refresh();
    mountComponent(VaultPeople, { props: { vault } });
    await settle();
    q("vault-give-open")!.click();
    await settle();
    expect(q("vault-give-locked")).toBeNull();
    (q("vault-give-person") as HTMLSelectElement).value = "Ed";
    q("vault-give-person")!.dispatchEvent(new Event("change"));
    type("vault-give-passphrase", "Ed's passphrase");
    type("vault-give-again", "Ed's passphrase");
    q("vault-give-form")!.dispatchEvent(new SubmitEvent("submit", { cancelable: true }));
    await settle();
    expect(q("vault-people-error")!.textContent).toContain("(editor) may not unlock the vault");
    expect(all("vault-holder").map((h) => h.dataset.name)).toEqual(["Sue"]);
    expect((q("vault-give-passphrase") as HTMLInputElement).value).toBe("");
  });

  it("takes access back only after a confirmation; an admin may take it back but not give it", async () => {
    const { api, calls } = core("admin");
    const vault = new VaultSession(api);
    await vault.refresh();
    mountComponent(VaultPeople, { props: { vault } });
    await settle();
    expect(q("vault-give-open")).toBeNull();
    q("vault-revoke")!.click();
    await settle();
    expect(q("vault-revoke-confirm")!.textContent).toContain("Sue will no longer unlock the vault");
    q("vault-revoke-no")!.click();
    await settle();
    expect(calls).toEqual([]);
    q("vault-revoke")!.click();
    await settle();
    q("vault-revoke-yes")!.click();
    await settle();
    expect(calls).toEqual(["revokeVault Sue"]);
    expect(all("vault-holder")).toEqual([]);
    expect(q("vault-people-done")!.textContent).toContain("Sue no longer unlocks the vault");
  });

  it("forgets the typed passphrases when the form closes by its toggle, when the vault locks, or when the panel hides", async () => {
    const { api, status } = core();
    status.unlocked = true;
    const vault = new VaultSession(api);
    await vault.refresh();
    mountComponent(VaultPeople, { props: { vault } });
    await settle();
    const typeBoth = async () => {
      q("vault-give-open")!.click();
      await settle();
      type("vault-give-passphrase", "Sam's new passphrase");
      type("vault-give-again", "Sam's new passphrase");
      await settle();
    };
    const fieldsAreEmptyOnceOpenAgain = async () => {
      if (!q("vault-give-form")) q("vault-give-open")!.click();
      await settle();
      expect((q("vault-give-passphrase") as HTMLInputElement).value).toBe("");
      expect((q("vault-give-again") as HTMLInputElement).value).toBe("");
      q("vault-give-open")!.click();
      await settle();
    };

    // Closed by "Give access…" itself.
    await typeBoth();
    q("vault-give-open")!.click();
    await settle();
    expect(q("vault-give-form")).toBeNull();
    await fieldsAreEmptyOnceOpenAgain();

    // The vault locks (idle, or the lock button): the form closes, the passphrases go.
    await typeBoth();
    await vault.lock();
    await settle();
    expect(q("vault-give-form")).toBeNull();
    status.unlocked = true;
    await vault.refresh();
    await fieldsAreEmptyOnceOpenAgain();

    // The panel hides (no access any more), then shows again.
    await typeBoth();
    const access = vault.access;
    vault.access = null;
    await settle();
    expect(q("vault-people")).toBeNull();
    vault.access = access;
    await settle();
    await fieldsAreEmptyOnceOpenAgain();
  });

  it("is not shown to someone who may neither give nor take back access", async () => {
    const vault = new VaultSession(core("reporter").api);
    await vault.refresh();
    mountComponent(VaultPeople, { props: { vault } });
    await settle();
    expect(q("vault-people")).toBeNull();
  });
});
