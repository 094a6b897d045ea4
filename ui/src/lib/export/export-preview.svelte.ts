// The export dialog's preview: the report as the core renders it for the reviewer's choices, read
// again when anything a report shows is invalidated (a draft, a claim, the register, the review).
// An internal report of a desk whose vault is locked is refused with `vault_locked`: the dialog
// offers to unlock, and the preview is asked again once the vault is open.

import type { ExportApi, ExportRequest } from "$lib/ipc";
import { DESK_TAGS } from "$lib/state/invalidation";
import { Loader } from "$lib/state/loader.svelte";

type Asked = { request: ExportRequest; unlocked: boolean };

export class ExportPreview {
  readonly #loader: Loader<Asked, string>;

  constructor(api: Pick<ExportApi, "renderReport">) {
    this.#loader = new Loader((asked) => api.renderReport(asked.request), { tags: () => [...DESK_TAGS], holdPrevious: true });
  }

  /** The report's text; null while none was rendered, or when the last one failed. */
  get text(): string | null {
    return this.#loader.error ? null : this.#loader.value;
  }
  get error(): string | null {
    return this.#loader.error?.message ?? null;
  }
  /** The core refused because the vault is locked: the dialog offers to unlock. */
  get locked(): boolean {
    return this.#loader.error?.code === "vault_locked";
  }
  get loading(): boolean {
    return this.#loader.loading;
  }

  /** Renders `request`; `unlocked` is part of the ask, so opening the vault renders it again. */
  show(request: ExportRequest, unlocked: boolean): void {
    void this.#loader.load({ request, unlocked });
  }
}
