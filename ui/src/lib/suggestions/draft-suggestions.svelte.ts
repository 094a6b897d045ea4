// The suggestions offered on the open draft: loaded for the version on screen, and updated when the
// reviewer accepts or dismisses one. Talks to the backend only through the SuggestionApi it is given.

import type { ClaimView, DraftSuggestions, Suggestion, SuggestionApi, DraftId } from "$lib/ipc";

export class DraftSuggestionsState {
  current = $state.raw<DraftSuggestions | null>(null);
  /** True while an accept or dismiss is on its way. */
  busy = $state(false);

  readonly #api: SuggestionApi;
  // Bumped on every load, so a slow answer for another draft or version is thrown away.
  #request = 0;

  constructor(api: SuggestionApi) {
    this.#api = api;
  }

  /** Loads the suggestions of `draft` (none when null); errors are the caller's to show. */
  async load(draft: DraftId | null): Promise<void> {
    const request = ++this.#request;
    if (draft === null) {
      this.current = null;
      return;
    }
    const found = await this.#api.draftSuggestions(draft);
    if (request === this.#request) this.current = found;
  }

  /** Tags the suggestion as a claim; the suggestions are reloaded by whoever shows the claim. */
  async accept(suggestion: Suggestion): Promise<ClaimView | null> {
    const draft = this.current?.draft;
    if (draft === undefined || this.busy) return null;
    this.busy = true;
    try {
      const claim = await this.#api.acceptSuggestion(draft, { start: suggestion.start, end: suggestion.end });
      // Drop it at once: the claim now covers that sentence.
      if (this.current?.draft === draft) {
        this.current = { ...this.current, suggestions: this.current.suggestions.filter((s) => s.start !== suggestion.start) };
      }
      return claim;
    } finally {
      this.busy = false;
    }
  }

  async dismiss(suggestion: Suggestion): Promise<void> {
    const draft = this.current?.draft;
    if (draft === undefined || this.busy) return;
    this.busy = true;
    const request = ++this.#request;
    try {
      const now = await this.#api.dismissSuggestion(draft, { start: suggestion.start, end: suggestion.end });
      if (request === this.#request) this.current = now;
    } finally {
      this.busy = false;
    }
  }
}
