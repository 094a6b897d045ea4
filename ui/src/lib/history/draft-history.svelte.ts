// A draft's history as the History view shows it: every version Factdesk saw (read again when the
// draft or the review is invalidated: a new version, claims moved), the two versions the reviewer
// compares (kept while they still exist), and their comparison.

import type { HistoryApi, VersionComparison, VersionSummary, DraftId, VersionId } from "$lib/ipc";
import { Loader } from "$lib/state/loader.svelte";
import { defaultPair } from "./compare";

type Pair = { draft: DraftId; from: VersionId; to: VersionId };

export class DraftHistoryState {
  /** The older side of the comparison, and the newer one (the reviewer's pick, bound to the selects). */
  from = $state<VersionId | null>(null);
  to = $state<VersionId | null>(null);

  readonly #versions: Loader<DraftId, VersionSummary[]>;
  readonly #comparison: Loader<Pair, VersionComparison>;

  constructor(api: HistoryApi) {
    this.#versions = new Loader((draft) => api.draftHistory(draft), { tags: (draft) => [`draft:${draft}`, "review"] });
    this.#comparison = new Loader((pair) => api.compareVersions(pair.draft, pair.from, pair.to), { holdPrevious: true });
  }

  /** Null until the first answer. */
  get versions(): VersionSummary[] | null {
    return this.#versions.value;
  }
  get comparison(): VersionComparison | null {
    return this.#comparison.value;
  }
  get error(): string | null {
    return (this.#versions.error ?? this.#comparison.error)?.message ?? null;
  }

  show(draft: DraftId): void {
    void this.#versions.load(draft);
  }

  /** The versions arrived: the reviewer's pair stays if both still exist, else the last edit. */
  keepPair(list: VersionSummary[]): void {
    const known = (v: VersionId | null) => v !== null && list.some((item) => item.id === v);
    if (known(this.from) && known(this.to)) return;
    const pair = defaultPair(list);
    this.from = pair?.from ?? null;
    this.to = pair?.to ?? null;
  }

  /** Compares the pair (again, when the versions were read again: a version's claims may have moved). */
  compare(draft: DraftId): void {
    if (this.from === null || this.to === null) return;
    void this.#comparison.load({ draft, from: this.from, to: this.to });
  }

  /** Shows the edit that made `version`: the version before it against it. */
  showEdit(version: VersionSummary): void {
    const list = this.versions ?? [];
    const index = list.indexOf(version);
    this.from = list[Math.max(0, index - 1)].id;
    this.to = version.id;
  }
}
