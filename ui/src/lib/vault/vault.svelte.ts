// The open desk's vault as the window sees it: whether it is set up and unlocked, and the one
// place that asks for the passphrase. Any panel whose action needs the vault (Reveal, editing a
// confidential field, an internal report) runs it through `withUnlock`: when the core answers
// `vault_locked`, the unlock dialog opens and the action runs again once unlocked. The passphrase
// goes straight from the dialog's field to the core and is not kept here. A desk this computer
// remembers ("Remember on this computer", opt-in) unlocks from the OS keyring first; when what was
// remembered no longer opens the vault, the core forgets it and the dialog says why.

import { getContext, setContext } from "svelte";
import { toIpcError, type KeyringUnlock, type VaultAccess, type VaultApi, type VaultStatus } from "$lib/ipc";

export class VaultSession {
  status = $state<VaultStatus | null>(null);
  /** Which dialog is open: the passphrase to unlock, or setting the vault up. */
  asking = $state<"unlock" | "setup" | null>(null);
  /** Bumps whenever the vault locks: panels hide whatever they revealed. */
  lockedRevision = $state(0);
  /** Why the keyring did not unlock the desk although it was remembered (shown in the dialog). */
  keyringNotice = $state<string | null>(null);
  #waiting: ((unlocked: boolean) => void)[] = [];

  constructor(readonly api: VaultApi) {}

  /**
   * On a desk with people, who holds the desk key and whom the reviewer may give it to; null when there is
   * nothing for them to manage (the panel is not shown).
   */
  access = $state<VaultAccess | null>(null);

  async refresh(): Promise<void> {
    this.status = await this.api.vaultStatus();
    // Who holds the key is a panel of its own: not being able to read it hides the panel, not the vault's state.
    if (this.api.vaultAccess) this.access = await this.api.vaultAccess().catch(() => null);
  }

  /**
   * Give access: the desk key wrapped for `person` under their new passphrase, typed twice. The vault must be
   * unlocked: when it is not, the unlock dialog asks first (false when the reviewer cancels, nothing sent).
   */
  async grant(person: string, passphrase: string, again: string): Promise<boolean> {
    const grantVault = this.api.grantVault;
    if (!grantVault) return false;
    const access = await withUnlock(this, () => grantVault(person, passphrase, again));
    if (access === undefined) return false;
    this.access = access;
    return true;
  }

  /** Take access back from `person` (a holder shows they hold the key by unlocking; an admin need not). */
  async revoke(person: string): Promise<boolean> {
    const revokeVault = this.api.revokeVault;
    if (!revokeVault) return false;
    const access = await withUnlock(this, () => revokeVault(person));
    if (access === undefined) return false;
    this.access = access;
    return true;
  }

  /**
   * Resolves true once the vault is unlocked (from the keyring when this computer remembers the desk,
   * else asking for the passphrase), false if the reviewer cancels.
   */
  ensureUnlocked(): Promise<boolean> {
    if (this.status?.unlocked) return Promise.resolve(true);
    if (this.status?.remembered && this.api.unlockVaultFromKeyring) return this.#fromKeyring(this.api.unlockVaultFromKeyring);
    this.asking = "unlock";
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  async #fromKeyring(unlockFromKeyring: () => Promise<KeyringUnlock>): Promise<boolean> {
    let outcome: KeyringUnlock;
    try {
      outcome = await unlockFromKeyring();
    } catch (e) {
      outcome = { outcome: "unavailable", reason: toIpcError(e).message };
    }
    if (outcome.outcome === "unlocked") {
      this.keyringNotice = null;
      await this.refresh();
      return true;
    }
    this.keyringNotice = outcome.outcome === "forgotten" ? outcome.reason : null;
    if (this.status && outcome.outcome === "forgotten") this.status = { ...this.status, remembered: false };
    this.asking = "unlock";
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  /**
   * Unlocks with the passphrase typed in the dialog (and, with `remember`, keeps the desk in the OS
   * keyring); a wrong one throws the core's error (the dialog shows it).
   */
  async unlock(passphrase: string, remember = false): Promise<void> {
    this.status = await this.api.unlockVault(passphrase, remember);
    this.keyringNotice = null;
    this.asking = null;
    this.#settle(true);
  }

  cancel(): void {
    this.asking = null;
    this.#settle(false);
  }

  /** Stops remembering the desk on this computer. */
  async forget(): Promise<void> {
    if (this.api.forgetVault) this.status = await this.api.forgetVault();
  }

  async lock(): Promise<void> {
    this.status = await this.api.lockVault();
    this.lockedRevision++;
  }

  /** The core locked it (idle, or a command found it locked). */
  markLocked(): void {
    if (this.status) this.status = { ...this.status, unlocked: false };
    this.lockedRevision++;
  }

  /** Sets the vault up; returns the recovery key, to show once. The vault is unlocked afterwards. */
  async setUp(passphrase: string, again: string): Promise<string> {
    const recovery = await this.api.setUpVault(passphrase, again);
    await this.refresh();
    return recovery;
  }

  async setIdleMinutes(minutes: number): Promise<void> {
    this.status = await this.api.setVaultIdleMinutes(minutes);
  }

  #settle(unlocked: boolean) {
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const resolve of waiting) resolve(unlocked);
  }
}

/**
 * Runs `action`; if the core says the vault is locked, asks for the passphrase and runs it again.
 * Returns undefined when the reviewer cancels the unlock.
 */
export async function withUnlock<T>(vault: VaultSession | undefined, action: () => Promise<T>): Promise<T | undefined> {
  try {
    return await action();
  } catch (e) {
    if (!vault || toIpcError(e).code !== "vault_locked") throw e;
    vault.markLocked();
    if (!(await vault.ensureUnlocked())) return undefined;
    return action();
  }
}

const KEY = Symbol("vault");

/** Makes `vault` the vault of every component below the caller. */
export function provideVault(vault: VaultSession): VaultSession {
  return setContext(KEY, vault);
}

/** The window's vault, or undefined where none was provided (a component mounted on its own). */
export function useVault(): VaultSession | undefined {
  return getContext<VaultSession | undefined>(KEY);
}

/** The context that makes `vault` the vault of a component mounted on its own (tests). */
export function vaultContext(vault: VaultSession): Map<unknown, unknown> {
  return new Map([[KEY, vault]]);
}
