// The claim inspector's state: how the selected claim is sourced (its links, evidence, the core's
// corroboration verdict, the opinion and attack marks) and, when asked for, its history. One loader
// reads the claim; the window's own writes answer in place and then invalidate `claim:N`, so this
// inspector, the matrix, Draft review and the export preview all read again. Forms stay in the
// component: they are what the reviewer is typing, not what the review holds.

import type { ClaimChange, Corroboration, EvidenceView, NewEvidence, NewSource, NewSourceLinked, SourceLink, SourceRole, SourcingApi, ClaimId, EvidenceId, SourceId } from "$lib/ipc";
import { invalidate } from "$lib/state/invalidation";
import { Loader } from "$lib/state/loader.svelte";

export type ClaimSourcing = {
  links: SourceLink[];
  evidence: EvidenceView[];
  corroboration: Corroboration | null;
  opinion: boolean;
  attack: boolean;
};

/** A claim's sourcing is built on its own rows, the register (descriptors) and the review as a whole. */
const claimTags = (claim: ClaimId) => [`claim:${claim}`, "sources", "review"];

export class ClaimSourcingState {
  readonly #api: SourcingApi;
  readonly #sourcing: Loader<ClaimId, ClaimSourcing>;
  readonly #history: Loader<ClaimId, ClaimChange[]>;

  constructor(api: SourcingApi) {
    this.#api = api;
    this.#sourcing = new Loader(async (claim) => {
      const [links, evidence, corroboration, opinion, attack] = await Promise.all([
        api.claimSources(claim),
        api.listEvidence(claim),
        api.claimCorroboration(claim),
        api.claimOpinion(claim),
        api.claimPersonalAttack(claim),
      ]);
      return { links, evidence, corroboration, opinion, attack };
    }, { tags: claimTags });
    this.#history = new Loader((claim) => api.claimHistory(claim), { tags: claimTags });
  }

  get links(): SourceLink[] {
    return this.#sourcing.value?.links ?? [];
  }
  get evidence(): EvidenceView[] {
    return this.#sourcing.value?.evidence ?? [];
  }
  get corroboration(): Corroboration | null {
    return this.#sourcing.value?.corroboration ?? null;
  }
  get opinion(): boolean {
    return this.#sourcing.value?.opinion ?? false;
  }
  get attack(): boolean {
    return this.#sourcing.value?.attack ?? false;
  }
  /** Why reading the claim (or its history) failed, or null. */
  get error(): string | null {
    return (this.#sourcing.error ?? this.#history.error)?.message ?? null;
  }

  get historyShown(): boolean {
    return this.#history.key !== null;
  }
  get history(): ClaimChange[] {
    return this.#history.value ?? [];
  }

  /** Shows `claim`: its sourcing is read, its history folded away. */
  show(claim: ClaimId): void {
    this.#history.clear();
    void this.#sourcing.load(claim);
  }

  /** Shows or folds the claim's history (read when shown, and again while shown when the claim changes). */
  toggleHistory(): void {
    const claim = this.#sourcing.key;
    if (this.historyShown || claim === null) this.#history.clear();
    else void this.#history.load(claim);
  }

  /** Links (or re-roles) an existing source; the claim's links as the core answers. */
  async link(claim: ClaimId, source: SourceId, role: SourceRole): Promise<void> {
    this.#wrote(claim, { links: await this.#api.linkSource(claim, source, role) });
  }

  /** A new source and its link in one step (the core makes both or neither). */
  async linkNew(claim: ClaimId, source: NewSource, role: SourceRole): Promise<NewSourceLinked> {
    const made = await this.#api.linkNewSource(claim, source, role);
    this.#wrote(claim, { links: made.links });
    // A source the register has not seen: the register and the views built on it read again.
    invalidate("sources");
    return made;
  }

  async unlink(claim: ClaimId, source: SourceId): Promise<void> {
    this.#wrote(claim, { links: await this.#api.unlinkSource(claim, source) });
  }

  /** Adds evidence; returns the item the core made (for Undo), if it can be told apart. */
  async addEvidence(claim: ClaimId, evidence: NewEvidence): Promise<EvidenceView | undefined> {
    const before = new Set(this.evidence.map((e) => e.id));
    const after = await this.#api.addEvidence(claim, evidence);
    this.#wrote(claim, { evidence: after });
    return after.find((e) => !before.has(e.id));
  }

  async removeEvidence(claim: ClaimId, evidence: EvidenceId): Promise<void> {
    this.#wrote(claim, { evidence: await this.#api.removeEvidence(evidence) });
  }

  async setOpinion(claim: ClaimId, value: boolean): Promise<void> {
    this.#wrote(claim, { opinion: await this.#api.setOpinion(claim, value) });
  }

  async setAttack(claim: ClaimId, value: boolean): Promise<void> {
    this.#wrote(claim, { attack: await this.#api.setPersonalAttack(claim, value) });
  }

  /** Shows a write's answer if the claim is still the one shown, then tells every view built on it. */
  #wrote(claim: ClaimId, answer: Partial<ClaimSourcing>): void {
    const shown = this.#sourcing.value;
    if (shown && this.#sourcing.key === claim) this.#sourcing.set({ ...shown, ...answer });
    invalidate(`claim:${claim}`);
  }
}
