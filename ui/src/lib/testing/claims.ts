// A claim as the core's `ClaimView` gives it, for tests and fakes: placed, anchored, needing corroboration,
// not attributed by its wording, unless `overrides` says otherwise.

import type { ClaimView } from "$lib/ipc";
import { claimId, draftId } from "./ids";

export function claimView(id: number, quote: string, overrides: Partial<ClaimView> = {}): ClaimView {
  return {
    id: claimId(id),
    draft: draftId(1),
    status: "needs-corroboration",
    quote,
    original_quote: quote,
    start: 0,
    end: quote.length,
    anchor: { state: "anchored", confidence: 1, candidates: [] },
    attribution: { kind: "none", from: "wording", cue: null },
    needs_attention: false,
    created_by: "Amina",
    created_at: "2026-11-29T09:00:00Z",
    updated_by: "Amina",
    updated_at: "2026-11-29T09:00:00Z",
    version: 1,
    ...overrides,
  };
}
