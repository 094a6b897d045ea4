// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { mountOnPage, settleTicks, byTestId, typeInto } from "../../tests/dom";
import { FakeSourcing } from "$lib/sourcing/fake-sourcing";
import { UndoStack, undoContext } from "$lib/undo/undo.svelte";
import SourcesView from "./SourcesView.svelte";
import { claimId, deskId, sourceId } from "$lib/testing/ids";
import type { SourceId } from "$lib/ipc";

const mountComponent = mountOnPage();
const settle = settleTicks;
const q = byTestId;
const field = (key: string) => document.querySelector<HTMLElement>(`[data-testid="source-field"][data-field="${key}"]`)!;
const type = typeInto;

const IDENTITY = "Jane Q. Secret, deputy head of mission";

function withSource() {
  const api = new FakeSourcing();
  api.addSourceNow({
    descriptor: "a senior Western diplomat",
    kind: "unnamed",
    notes: "",
    confidential: { identity: IDENTITY, contact: null, first_hand: true, how_known: "attended the meetings", anonymity_reason: null, editor_knows: null, approved_by: null },
  });
  api.addSourceNow({ descriptor: "Embassy statement", kind: "official-statement", notes: "", confidential: null });
  return api;
}

describe("SourcesView", () => {
  it("masks confidential fields by default and reveals them only on an explicit, per-source request", async () => {
    const api = withSource();
    mountComponent(SourcesView, { props: { api, onClose: () => {} } });
    await settle();
    expect(q("sources-count")!.textContent).toBe("2");
    // Nothing confidential reached the window: only which fields are recorded.
    expect(api.calls).not.toContain(expect.stringMatching(/^revealSource/));
    expect(document.body.textContent).not.toContain("Jane");
    expect(document.body.textContent).not.toContain("attended the meetings");
    expect(field("identity").dataset.recorded).toBe("true");
    expect(field("identity").textContent).toBe("•••• recorded");
    expect(field("anonymity_reason").dataset.recorded).toBe("false");
    // A named source has no confidential side and nothing to reveal.
    const cards = document.querySelectorAll<HTMLElement>('[data-testid="source-card"]');
    expect(cards[1].querySelector('[data-testid="source-reveal"]')).toBeNull();

    // Reveal… asks first: cancelling reads nothing.
    q("source-reveal")!.click();
    await settle();
    expect(q("source-reveal-confirm")).not.toBeNull();
    expect(api.calls).not.toContain("revealSource 100");
    q("source-reveal-no")!.click();
    await settle();
    expect(q("source-reveal-confirm")).toBeNull();
    expect(api.calls).not.toContain("revealSource 100");

    q("source-reveal")!.click();
    await settle();
    q("source-reveal-yes")!.click();
    await settle();
    expect(api.calls).toContain("revealSource 100");
    expect(field("identity").textContent).toBe(IDENTITY);
    expect(field("first_hand").textContent).toBe("Yes");

    q("source-hide")!.click();
    await settle();
    expect(document.body.textContent).not.toContain("Jane");
  });

  it("edits a source's public and confidential fields without revealing them", async () => {
    const api = withSource();
    mountComponent(SourcesView, { props: { api, onClose: () => {} } });
    await settle();
    q("source-edit")!.click();
    await settle();
    expect((q("source-edit-identity") as HTMLInputElement).value).toBe("");
    expect((q("source-edit-identity") as HTMLInputElement).placeholder).toContain("recorded");
    type("source-edit-descriptor", "a senior European diplomat");
    type("source-edit-anonymity_reason", "not authorised to speak publicly");
    q("source-edit-form")!.dispatchEvent(new SubmitEvent("submit", { cancelable: true }));
    await settle();
    // Its own change answers in place; the register is then read again with every view built on it.
    // One save, public and confidential fields together, on the version shown.
    expect(api.calls).toEqual(["listSources", "updateSource 100 with confidential", "listSources"]);
    expect(api.secrets.get(100)!.identity).toBe(IDENTITY);
    expect(api.secrets.get(100)!.anonymity_reason).toBe("not authorised to speak publicly");
    expect(q("source-descriptor")!.textContent).toBe("a senior European diplomat");
    expect(field("anonymity_reason").dataset.recorded).toBe("true");
  });

  it("refuses a confidential edit made on a version someone changed since, shows theirs, and reapplies on theirs", async () => {
    const api = withSource();
    mountComponent(SourcesView, { props: { api, onClose: () => {} } });
    await settle();
    q("source-edit")!.click();
    await settle();
    // Meanwhile someone else renames the source.
    await api.updateSource(sourceId(100), { descriptor: "a diplomat in Kabul", kind: null, notes: null }, null, 1);
    type("source-edit-identity", "Someone Else Entirely");
    q("source-edit-form")!.dispatchEvent(new SubmitEvent("submit", { cancelable: true }));
    await settle();
    // Refused: nothing of it saved, theirs shown, the form kept with the choice.
    expect(api.secrets.get(100)!.identity).toBe(IDENTITY);
    expect(q("sources-error")!.textContent).toContain("This source was changed by Amina at Nov 29, 2026");
    expect(q("sources-error")!.textContent).not.toContain("Someone Else");
    expect(q("source-edit-save")!.textContent).toBe("Reapply mine");
    expect(q("source-edit-cancel")!.textContent).toBe("Keep theirs");
    expect((q("source-edit-identity") as HTMLInputElement).value).toBe("Someone Else Entirely");

    q("source-edit-form")!.dispatchEvent(new SubmitEvent("submit", { cancelable: true }));
    await settle();
    expect(api.secrets.get(100)!.identity).toBe("Someone Else Entirely");
    expect(q("source-edit-form")).toBeNull();
    expect(q("sources-error")).toBeNull();
  });

  it("removes a source cited by a claim only after a confirmation, and Undo brings it back with its link", async () => {
    const api = withSource();
    await api.linkSource(claimId(7), sourceId(100), "attributed");
    const undo = new UndoStack();
    let changed = 0;
    mountComponent(SourcesView, { props: { api, onClose: () => {}, onChanged: () => changed++ }, context: undoContext(undo) });
    await settle();

    q("source-remove")!.click();
    await settle();
    // The core refused: the claim is named and nothing is gone yet.
    expect(q("source-remove-confirm")!.textContent).toContain("claim 7");
    expect(q("sources-count")!.textContent).toBe("2");
    expect(undo.canUndo).toBe(false);

    q("source-remove-with-links")!.click();
    await settle();
    expect(api.calls).toContain("removeSource 100 true");
    expect(q("sources-count")!.textContent).toBe("1");
    expect(q("source-remove-confirm")).toBeNull();
    expect(undo.announced?.label).toBe("Source and its links removed");
    expect(changed).toBe(1);

    await undo.undo();
    await settle();
    expect(api.calls).toContain("restoreSource 100");
    expect(q("sources-count")!.textContent).toBe("2");
    expect((await api.claimSources(claimId(7))).map((l) => l.source.id)).toEqual([100]);
  });
});

describe("SourcesView with the desk's vault", () => {
  it("shows fields as recorded and locked, asks to unlock on Reveal, and hides the values when the vault locks", async () => {
    const { IpcError } = await import("$lib/ipc");
    const { VaultSession, vaultContext } = await import("$lib/vault/vault.svelte");
    const api = withSource();
    let unlocked = false;
    const status = () => ({ desk: deskId(1), has_vault: true, unlocked, idle_minutes: 10, retry_after_seconds: 0, remembered: false, keyring_unavailable: null, idle_minutes_refused: null });
    const reveal = api.revealSource.bind(api);
    api.revealSource = async (id: SourceId) => {
      if (!unlocked) throw new IpcError("vault_locked", "the vault of desk 1 is locked");
      return reveal(id);
    };
    const vault = new VaultSession({
      vaultStatus: async () => status(),
      unlockVault: async (passphrase: string) => {
        if (passphrase !== "correct horse battery") throw new IpcError("wrong_passphrase", "wrong passphrase");
        unlocked = true;
        return status();
      },
      lockVault: async () => {
        unlocked = false;
        return status();
      },
      setUpVault: async () => "",
      setVaultIdleMinutes: async () => status(),
      onVaultLocked: async () => () => {},
      backUpDatabase: async () => ({ path: "", bytes: 0 }),
      chooseBackupPath: async () => null,
    });
    mountComponent(SourcesView, { props: { api, onClose: () => {} }, context: vaultContext(vault) });
    await settle();
    expect(field("identity").textContent).toBe("•••• recorded · vault locked");
    expect(q("source-reveal")!.textContent).toContain("Unlock to reveal");

    q("source-reveal")!.click();
    await settle();
    q("source-reveal-yes")!.click();
    await settle();
    expect(vault.asking).toBe("unlock");
    expect(document.body.textContent).not.toContain("Jane");
    await expect(vault.unlock("wrong one")).rejects.toThrow("wrong passphrase");
    await vault.unlock("correct horse battery");
    await settle();
    expect(field("identity").textContent).toBe(IDENTITY);

    // Locked (the Lock button, or idle in the core): the revealed values go.
    vault.markLocked();
    await settle();
    expect(document.body.textContent).not.toContain("Jane");
    expect(field("identity").textContent).toBe("•••• recorded · vault locked");
  });
});

describe("SourcesView on a team store", () => {
  async function vaultWithout() {
    const { VaultSession, vaultContext } = await import("$lib/vault/vault.svelte");
    const status = () => ({ desk: deskId(1), has_vault: false, unlocked: false, idle_minutes: 10, retry_after_seconds: 0, remembered: false, keyring_unavailable: null, idle_minutes_refused: null });
    const vault = new VaultSession({
      vaultStatus: async () => status(),
      unlockVault: async () => status(),
      lockVault: async () => status(),
      setUpVault: async () => "",
      setVaultIdleMinutes: async () => status(),
      onVaultLocked: async () => () => {},
      backUpDatabase: async () => ({ path: "", bytes: 0 }),
      chooseBackupPath: async () => null,
    });
    return vaultContext(vault);
  }
  const backups = { backUpDatabase: async () => ({ path: "", bytes: 0 }), chooseBackupPath: async () => null };

  it("offers the vault's idle time only to whom may set it, showing the others the core's reason", async () => {
    const { VaultSession, vaultContext } = await import("$lib/vault/vault.svelte");
    const reason = "You may not change the idle time: on a team store the vault's idle time is every desk's: the store's owner sets it.";
    let refused: string | null = reason;
    const sets: number[] = [];
    const status = () => ({ desk: deskId(1), has_vault: true, unlocked: false, idle_minutes: 10, retry_after_seconds: 0, remembered: false, keyring_unavailable: null, idle_minutes_refused: refused });
    const vault = new VaultSession({
      vaultStatus: async () => status(),
      unlockVault: async () => status(),
      lockVault: async () => status(),
      setUpVault: async () => "",
      setVaultIdleMinutes: async (minutes: number) => {
        sets.push(minutes);
        return status();
      },
      onVaultLocked: async () => () => {},
      backUpDatabase: async () => ({ path: "", bytes: 0 }),
      chooseBackupPath: async () => null,
    });
    const api = Object.assign(withSource(), backups);
    mountComponent(SourcesView, { props: { api, onClose: () => {}, teamStore: true }, context: vaultContext(vault) });
    await settle();
    // Plain text, not a disabled number field that looks live (teamtry P3).
    expect(q("vault-idle-minutes")).toBeNull();
    const idle = q("vault-idle-text")!;
    expect(idle.textContent).toBe("Locks after 10 min unused");
    expect(q("vault-idle-refused")!.textContent).toBe(reason);
    expect(idle.title).toBe(reason);

    // The store's owner: offered, no reason shown.
    refused = null;
    await vault.refresh();
    await settle();
    const offered = q("vault-idle-minutes") as HTMLInputElement;
    expect(offered.disabled).toBe(false);
    expect(q("vault-idle-refused")).toBeNull();
    offered.value = "30";
    offered.dispatchEvent(new Event("input", { bubbles: true }));
    offered.dispatchEvent(new Event("change", { bubbles: true }));
    await settle();
    expect(sets).toEqual([30]);
  });

  it("offers no Back up… (the core refuses it after the passphrase and the save dialog) and says who backs it up", async () => {
    const api = Object.assign(withSource(), backups);
    mountComponent(SourcesView, { props: { api, onClose: () => {}, teamStore: true }, context: await vaultWithout() });
    await settle();
    expect(q("backup-open")).toBeNull();
    expect(q("backup-team-store")!.textContent).toBe("Backed up on its server (pg_dump), not by Factdesk");
    // Without a vault, where the identities lie in plain text: on the server, not only on this computer.
    expect(q("vault-state")!.textContent).toBe("No vault: confidential fields are stored unencrypted on the team store's server");
  });

  it("still offers Back up… on this computer's file", async () => {
    const api = Object.assign(withSource(), backups);
    mountComponent(SourcesView, { props: { api, onClose: () => {} }, context: await vaultWithout() });
    await settle();
    expect(q("backup-open")).not.toBeNull();
    expect(q("backup-team-store")).toBeNull();
    expect(q("vault-state")!.textContent).toBe("No vault: confidential fields are stored unencrypted");
  });
});
