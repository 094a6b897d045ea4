// @vitest-environment jsdom
// The claim workflow through the whole window, against a fake backend: select text in the reader,
// tag it, see it highlighted and listed, move with j/k, set its status with a number key, and see
// it follow the text when the file changes.

import { afterEach, describe, expect, it, vi } from "vitest";
import { flushSync, mount, unmount } from "svelte";
import { allByTestId, byTestId, settle } from "./tests/dom";
import type {
  AnchorResolution,
  AssignedWork,
  Assignment,
  AssignmentApi,
  AssignmentTarget,
  InboxEntry,
  ClaimStatus,
  ClaimView,
  DeskApi,
  DeskEvent,
  DraftSuggestions,
  ExportApi,
  ExportRequest,
  Suggestion,
  SearchApi,
  DashboardApi,
  DeskDashboard,
  SearchHit,
  SearchQuery,
  SettingsApi,
  TeamStoreApi,
  SourcingApi,
  SuggestionApi,
  SuggestionUndoApi,
  TextPositionSelector,
  TextQuoteSelector,
  VaultApi,
  ClaimId,
} from "$lib/ipc";
import { assignmentId, claimId, deskId, draftId, inboxId, versionId } from "$lib/testing/ids";

const backend = vi.hoisted(() => {
  const state = {
    text: "Sources tell Strike Source that the “deal” 🎉 was worth 50 billion.",
    claims: [] as ClaimView[],
    /** Claims removed, kept aside as the core keeps them, so restore brings back the same claim. */
    removed: [] as ClaimView[],
    /** Suggested sentences (none unless a test sets some). */
    suggestions: [] as Suggestion[],
    dismissed: [] as Suggestion[],
    listeners: [] as ((event: DeskEvent) => void)[],
    calls: [] as string[],
    /** Who each claim is assigned to; the reviewer is "ana". */
    assigned: [] as { claim: ClaimId; to: string; due: string | null }[],
    inbox: [] as InboxEntry[],
  };
  const assignment = (a: { to: string; due: string | null }): Assignment => ({
    id: assignmentId(1),
    assignee: a.to,
    due: a.due,
    overdue: a.due !== null && a.due < "2026-12-01",
    assigned_by: "ana",
    assigned_at: "2026-12-01T09:00:00Z",
  });
  const cp = (s: string) => Array.from(s).length;
  const api = {
    currentDesk: async () => ({ id: deskId(1), path: "/desks/news", watch: "native" as const, notice: null }),
    openDesk: async () => {
      throw new Error("not used");
    },
    listDrafts: async () => [{ id: draftId(3), path: "kabul.txt", title: "Kabul", format: "text" as const, words: 12, state: "ok" as const, reason: null, missing: false }],
    getDraft: async () => ({
      draft: { id: draftId(3), path: "kabul.txt", title: "Kabul", format: "text" as const, words: 12, state: "ok" as const, reason: null, missing: false },
      version: versionId(1),
      versions: 1,
      marks: null,
      comments: [],
      blocks: state.text.split("\n\n").reduce<{ at: number; blocks: { kind: "paragraph"; level: number; start: number; end: number; text: string }[] }>(
        (acc, text) => {
          acc.blocks.push({ kind: "paragraph", level: 0, start: acc.at, end: acc.at + cp(text), text });
          acc.at += cp(text) + 2;
          return acc;
        },
        { at: 0, blocks: [] },
      ).blocks,
    }),
    tagClaim: async (draft: number, quote: TextQuoteSelector): Promise<ClaimView> => {
      state.calls.push(`tag ${JSON.stringify(quote)}`);
      const at = state.text.indexOf(quote.exact);
      const start = cp(state.text.slice(0, at));
      const claim: ClaimView = {
        id: claimId(state.claims.length + 1),
        draft: draftId(draft),
        status: "needs-corroboration",
        quote: quote.exact,
        original_quote: quote.exact,
        start,
        end: start + cp(quote.exact),
        anchor: { state: "anchored", confidence: 1, candidates: [] },
        needs_attention: false,
        attribution: { kind: "none", from: "wording", cue: null },
        created_by: "editor",
        created_at: "2026-11-29T06:00:00Z",
        updated_by: "editor",
        updated_at: "2026-11-29T06:00:00Z",
        version: 1,
      };
      state.claims.push(claim);
      return claim;
    },
    // Fresh objects each time, as from the real IPC.
    listClaims: async () => state.claims.map((claim) => ({ ...claim })),
    setClaimStatus: async (id: number, status: ClaimStatus) => {
      state.calls.push(`status ${id} ${status}`);
      const claim = state.claims.find((c) => c.id === id)!;
      Object.assign(claim, { status, version: claim.version + 1 });
      return { ...claim };
    },
    resolveClaim: async (id: number, resolution: AnchorResolution) => {
      state.calls.push(`resolve ${id} ${JSON.stringify(resolution)}`);
      const claim = state.claims.find((c) => c.id === id)!;
      if (resolution.action === "choose") Object.assign(claim, { start: resolution.start, end: resolution.end });
      Object.assign(claim, { needs_attention: false, anchor: { ...claim.anchor, state: "moved" } });
      return { ...claim };
    },
    removeClaim: async (id: number) => {
      state.calls.push(`remove ${id}`);
      const claim = state.claims.find((c) => c.id === id)!;
      state.claims = state.claims.filter((c) => c !== claim);
      state.removed.push(claim);
      return { ...claim };
    },
    moveClaim: async (id: number, quote: TextQuoteSelector) => {
      state.calls.push(`move ${id} ${JSON.stringify(quote)}`);
      const claim = state.claims.find((c) => c.id === id)!;
      const start = cp(state.text.slice(0, state.text.indexOf(quote.exact)));
      Object.assign(claim, { quote: quote.exact, start, end: start + cp(quote.exact) });
      return { ...claim };
    },
    restoreClaim: async (id: number) => {
      state.calls.push(`restore ${id}`);
      const claim = state.removed.find((c) => c.id === id)!;
      state.removed = state.removed.filter((c) => c !== claim);
      state.claims.push(claim);
      return { ...claim };
    },
    unresolveClaim: async (id: number) => {
      state.calls.push(`unresolve ${id}`);
      const claim = state.claims.find((c) => c.id === id)!;
      Object.assign(claim, { needs_attention: true, start: null, end: null, anchor: { state: "ambiguous", confidence: 0.5, candidates: [] } });
      return { ...claim };
    },
    deskAttention: async () => state.claims.filter((c) => c.needs_attention).map((claim) => ({ ...claim })),
    onDeskChanged: async (handler: (event: DeskEvent) => void) => {
      state.listeners.push(handler);
      return () => {};
    },
    onScanProgressed: async () => () => {},
    onVaultLocked: async () => () => {},
    vaultStatus: async () => ({ desk: deskId(1), has_vault: false, unlocked: false, idle_minutes: 10, retry_after_seconds: 0, remembered: false, keyring_unavailable: null, idle_minutes_refused: null }),
    chooseFolder: async () => null,
    draftSuggestions: async (draft: number): Promise<DraftSuggestions> => {
      const open = state.suggestions.filter((s) => !state.claims.some((c) => c.start! < s.end && s.start < c.end!));
      const anonymous = state.suggestions.filter((s) => s.attribution.kind === "anonymous").length;
      const profile = {
        claims: state.suggestions.length,
        named: 0,
        anonymous,
        document: 0,
        unattributed: state.suggestions.length - anonymous,
        unnamed_share: state.suggestions.length ? anonymous / state.suggestions.length : 0,
        named_per_unnamed: null,
        figures_without_unit: [],
        unattributed_claims: [],
        editors_note: null,
      };
      return { draft: draftId(draft), version: versionId(1), suggestions: open, profile, dismissed: 0 };
    },
    acceptSuggestion: async (draft: number, span: TextPositionSelector): Promise<ClaimView> => {
      state.calls.push(`accept ${span.start}..${span.end}`);
      const suggestion = state.suggestions.find((s) => s.start === span.start)!;
      const claim: ClaimView = {
        id: claimId(state.claims.length + 1),
        draft: draftId(draft),
        status: "needs-corroboration",
        quote: suggestion.quote,
        original_quote: suggestion.quote,
        start: span.start,
        end: span.end,
        anchor: { state: "anchored", confidence: 1, candidates: [] },
        // The core reads a claim's attribution from the wording until sources are linked.
        attribution: {
          kind: ({ anonymous: "unnamed", named: "named", document: "document", none: "none" } as const)[suggestion.attribution.kind],
          from: "wording",
          cue: suggestion.attribution.cue,
        },
        needs_attention: false,
        created_by: "amina",
        created_at: "2026-11-29T06:00:00Z",
        updated_by: "amina",
        updated_at: "2026-11-29T06:00:00Z",
        version: 1,
      };
      state.claims.push(claim);
      return claim;
    },
    dismissSuggestion: async (draft: number, span: TextPositionSelector): Promise<DraftSuggestions> => {
      state.calls.push(`dismiss ${span.start}..${span.end}`);
      state.dismissed.push(...state.suggestions.filter((s) => s.start === span.start));
      state.suggestions = state.suggestions.filter((s) => s.start !== span.start);
      return api.draftSuggestions(draft);
    },
    restoreSuggestion: async (draft: number, sentence: string): Promise<DraftSuggestions> => {
      state.calls.push(`restore suggestion ${sentence}`);
      state.suggestions.push(...state.dismissed.filter((s) => s.quote === sentence));
      state.dismissed = state.dismissed.filter((s) => s.quote !== sentence);
      return api.draftSuggestions(draft);
    },
    reviewerName: async () => "amina",
    setReviewerName: async (name: string) => name.trim(),
    storeInUse: async () => ({ team: false, label: "This computer · /tmp/factdesk.db", url: null, connected: true, encrypted: false }),
    renderReport: async (request: ExportRequest) => {
      state.calls.push(`render ${JSON.stringify(request)}`);
      return "<!DOCTYPE html><h1>Review report: Kabul</h1>";
    },
    saveReport: async (_request: ExportRequest, path: string) => ({ path, bytes: 10 }),
    chooseSavePath: async () => null,
    saveDashboardCsv: async (_drafts: number[], path: string) => ({ path, bytes: 10 }),
    deskDashboard: async (): Promise<DeskDashboard> => {
      const claims = { total: state.claims.length, needs_corroboration: state.claims.filter((c) => c.status === "needs-corroboration").length, corroborated: 0, disputed: 0, unverifiable: 0, cleared: 0 };
      return {
        rows: [
          {
            draft: draftId(3), title: "Kabul", path: "kabul.txt", missing: false, status: "in-review", changed_since_ready: false, change_reason: null,
            claims, needs_attention: 0, unnamed_share: 0, blockers: [{ rule: "unresolved-claim", message: "A claim is open", claim: claimId(1) }],
            text_changed_at: "2026-11-29T06:00:00Z", status_bar_svg: "<svg/>", assignee: null, claim_assignees: [],
          },
        ],
        totals: { drafts: 1, by_workflow: [{ status: "in-review", drafts: 1 }], claims, needs_attention: 0, unnamed_share: 0, blocked_drafts: 1 },
        status_chart_svg: "<svg/>",
        sourcing_chart_svg: "<svg/>",
      };
    },
    search: async (query: SearchQuery): Promise<SearchHit[]> => {
      state.calls.push(`search ${query.text}${query.assignee === null ? "" : ` assigned to ${query.assignee}`}`);
      const at = Array.from(state.text).join("").indexOf("billion");
      const start = cp(state.text.slice(0, at));
      const snippet = { text: "was worth 50 billion.", highlights: [{ start: 13, end: 20 }] };
      return [
        { kind: "claim", id: 1, draft: draftId(3), draft_path: "kabul.txt", claim: claimId(1), snippet, score: 2, passage: null },
        { kind: "draft", id: 3, draft: draftId(3), draft_path: "kabul.txt", claim: null, snippet, score: 1, passage: { start, end: start + 7 } },
      ];
    },
    assign: async (target: AssignmentTarget, to: string, due: string | null) => {
      state.calls.push(`assign ${target.id} ${to} ${due}`);
      if (target.on !== "claim") throw new Error("this backend assigns claims only");
      state.assigned = [...state.assigned.filter((a) => a.claim !== target.id), { claim: target.id, to, due }];
      return assignment({ to, due });
    },
    unassign: async (target: AssignmentTarget) => {
      state.assigned = state.assigned.filter((a) => a.claim !== target.id);
      return null;
    },
    assignmentOf: async (target: AssignmentTarget) => {
      const found = state.assigned.find((a) => a.claim === target.id);
      return found ? assignment(found) : null;
    },
    assignedToMe: async (): Promise<AssignedWork[]> =>
      state.assigned
        .filter((a) => a.to === "ana")
        .map((a) => ({ ...assignment(a), claim: a.claim, draft: draftId(3), draft_path: "kabul.txt", draft_title: "Kabul", quote: "50 billion" })),
    inbox: async () => state.inbox.map((entry) => ({ ...entry })),
    markInboxRead: async (id: number) => {
      state.calls.push(`read ${id}`);
      for (const entry of state.inbox) if (entry.id === id) entry.read = true;
      return null;
    },
  } satisfies DeskApi & AssignmentApi & SuggestionApi & SettingsApi & ExportApi & SearchApi & DashboardApi & Pick<SourcingApi, "removeClaim" | "restoreClaim" | "moveClaim" | "unresolveClaim"> & SuggestionUndoApi & Pick<VaultApi, "onVaultLocked" | "vaultStatus"> & Pick<TeamStoreApi, "storeInUse">;
  return { state, api };
});

// The sourcing panels get the in-memory fake; this file's backend covers the rest.
vi.mock("$lib/ipc", async (importOriginal) => {
  const { FakeSourcing } = await import("$lib/sourcing/fake-sourcing");
  return { ...(await importOriginal<object>()), ipc: Object.assign(new FakeSourcing(), backend.api) };
});

const { default: App } = await import("./App.svelte");

let mounted: Record<string, unknown> | null = null;

afterEach(() => {
  if (mounted) unmount(mounted);
  mounted = null;
  document.body.replaceChildren();
});


const q = byTestId;
const all = allByTestId;

function selectInText(paragraph: number, exact: string) {
  const block = document.querySelectorAll('[data-testid="reader-text"] p')[paragraph];
  const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.textContent!.indexOf(exact);
    if (at === -1) continue;
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + exact.length);
    window.getSelection()!.removeAllRanges();
    window.getSelection()!.addRange(range);
    document.dispatchEvent(new Event("selectionchange"));
    flushSync();
    return;
  }
  throw new Error(`${exact} is not in one text node`);
}

function press(key: string, target: EventTarget = document.body, modifiers: KeyboardEventInit = {}) {
  target.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true, ...modifiers }));
  flushSync();
}

describe("claims in the window", () => {
  it("tags a selection, highlights and lists it, and follows keys and file changes", async () => {
    mounted = mount(App, { target: document.body });
    await settle();
    q("draft-item")!.click();
    await settle();
    expect(q("claims-pane")).not.toBeNull();
    expect(q("claims-empty")).not.toBeNull();

    // With the button.
    selectInText(0, "50 billion");
    q("tag-claim")!.click();
    await settle();
    const prefix = Array.from("Sources tell Strike Source that the “deal” 🎉 was worth ").slice(-32).join("");
    expect(backend.state.calls[0]).toBe(`tag ${JSON.stringify({ exact: "50 billion", prefix, suffix: "." })}`);
    expect(all("claim-mark").map((m) => [m.textContent, m.dataset.status])).toEqual([["50 billion", "needs-corroboration"]]);
    expect(q("claim-inspector")!.dataset.claimId).toBe("1");
    expect(window.getSelection()!.isCollapsed).toBe(true);

    // With the key c.
    selectInText(0, "Strike Source");
    press("c");
    await settle();
    expect(all("claim-item").map((item) => item.dataset.claimId)).toEqual(["2", "1"]);
    expect(q("claim-inspector")!.dataset.claimId).toBe("2");

    // j/k and number keys; not while typing in a field.
    press("j");
    expect(q("claim-inspector")!.dataset.claimId).toBe("1");
    press("3");
    await settle();
    expect(backend.state.calls).toContain("status 1 disputed");
    expect(document.querySelector('[data-testid="claim-mark"][data-claim-id="1"]')!.getAttribute("data-status")).toBe("disputed");
    expect(q("claim-count")!.parentElement!.querySelector('[data-status="disputed"] b')!.textContent).toBe("1");
    press("k");
    expect(q("claim-inspector")!.dataset.claimId).toBe("2");
    press("5", q("claim-status")!);
    await settle();
    expect(backend.state.calls).not.toContain("status 2 cleared");

    // The writer inserts a paragraph above; the core re-anchors, the window refetches both.
    backend.state.text = "A new first paragraph.\n\n" + backend.state.text;
    for (const claim of backend.state.claims) {
      claim.start! += 24;
      claim.end! += 24;
      claim.anchor = { state: "moved", confidence: 1, candidates: [] };
    }
    for (const listener of backend.state.listeners) listener({ event: "changed", draft: draftId(3), path: "kabul.txt" });
    await settle();
    const marks = all("claim-mark");
    expect(marks.map((m) => m.textContent)).toEqual(["Strike Source", "50 billion"]);
    expect(marks.every((m) => m.closest("p") === document.querySelectorAll('[data-testid="reader-text"] p')[1])).toBe(true);
    expect(all("claim-item").map((item) => item.dataset.anchorState)).toEqual(["moved", "moved"]);
  });

  it("lists the desk's claims that need attention and settles one from the inspector", async () => {
    backend.state.text = "Sources tell Strike Source that the “deal” 🎉 was worth 50 billion.";
    backend.state.calls = [];
    backend.state.claims = [
      {
        id: claimId(5),
        draft: draftId(3),
        status: "disputed",
        quote: "Source",
        original_quote: "Source",
        start: null,
        end: null,
        anchor: { state: "ambiguous", confidence: 0.9, candidates: [{ start: 0, end: 6, score: 0.9 }, { start: 20, end: 26, score: 0.9 }] },
        needs_attention: true,
        attribution: { kind: "none", from: "wording", cue: null },
        created_by: "editor",
        created_at: "2026-11-29T06:00:00Z",
        updated_by: "editor",
        updated_at: "2026-11-29T06:00:00Z",
        version: 1,
      },
    ];
    mounted = mount(App, { target: document.body });
    await settle();
    expect(q("attention-count")!.textContent).toBe("1");
    q("tab-attention")!.click();
    flushSync();
    const item = q("attention-item")!;
    expect(item.dataset.claimId).toBe("5");
    expect(item.textContent).toContain("Kabul");
    expect(item.textContent).toContain("Source");

    item.click();
    await settle();
    expect(q("claim-inspector")!.dataset.claimId).toBe("5");
    expect(q("attention-accept")).toBeNull();
    expect(all("attention-choose").map((b) => b.querySelector(".candidate-text")!.textContent)).toEqual(["Source", "Source"]);
    expect((q("attention-reattach") as HTMLButtonElement).disabled).toBe(true);
    expect(q("attention-keep-detached")).not.toBeNull();

    all("attention-choose")[1].click();
    await settle();
    expect(backend.state.calls).toContain('resolve 5 {"action":"choose","start":20,"end":26}');
    expect(q("attention-actions")).toBeNull();
    expect(q("attention-count")!.textContent).toBe("0");
    expect(q("attention-empty")).not.toBeNull();
    expect(all("claim-mark").map((m) => m.textContent)).toEqual(["Source"]);

    // The decision can be undone: the claim is placed by re-anchoring again, and needs attention again.
    expect(q("undo-label")!.textContent).toBe("Claim's place settled");
    press("z", document.body, { ctrlKey: true });
    await settle();
    expect(backend.state.calls).toContain("unresolve 5");
    expect(q("attention-count")!.textContent).toBe("1");
  });

  it("offers suggested claims with their sourcing, accepts one as a claim and dismisses another", async () => {
    backend.state.text = "Officials said the bridge closed. Sources say the mayor knew in May.";
    backend.state.claims = [];
    backend.state.calls = [];
    const cp = (s: string) => Array.from(s).length;
    const sentence = (quote: string, kind: "anonymous" | "none", cue: string | null): Suggestion => {
      const start = cp(backend.state.text.slice(0, backend.state.text.indexOf(quote)));
      return { quote, start, end: start + cp(quote), score: 0.8, attribution: { kind, cue }, reasons: ["+ reported speech"] };
    };
    backend.state.suggestions = [
      sentence("Officials said the bridge closed.", "none", null),
      sentence("Sources say the mayor knew in May.", "anonymous", "Sources say"),
    ];
    mounted = mount(App, { target: document.body });
    await settle();
    q("draft-item")!.click();
    await settle();
    expect(all("suggestion").map((s) => s.textContent)).toEqual(["Officials said the bridge closed.", "Sources say the mayor knew in May."]);
    expect(q("sourcing-profile")!.textContent).toContain("1 unnamed");
    expect(q("unnamed-share")!.textContent).toBe("50 % unnamed");

    // Accept: a claim with its attribution, the suggestion gone.
    all("suggestion")[1].click();
    flushSync();
    expect(q("suggestion-attribution")!.textContent).toBe("Unnamed source: “Sources say”");
    q("accept-suggestion")!.click();
    await settle();
    expect(backend.state.calls).toContain(`accept ${backend.state.suggestions[1].start}..${backend.state.suggestions[1].end}`);
    expect(all("claim-mark").map((m) => m.textContent)).toEqual(["Sources say the mayor knew in May."]);
    expect(all("suggestion").map((s) => s.textContent)).toEqual(["Officials said the bridge closed."]);
    expect(q("claim-inspector")!.dataset.claimId).toBe("1");
    expect(q("claim-attribution")!.textContent).toContain("Unnamed (“Sources say”)");
    expect(q("claim-attribution-basis")!.textContent).toBe("read from the wording");
    expect(q("suggestion-card")).toBeNull();

    // Dismiss: gone, no claim made.
    all("suggestion")[0].click();
    flushSync();
    q("dismiss-suggestion")!.click();
    await settle();
    expect(all("suggestion")).toHaveLength(0);
    expect(all("claim-item")).toHaveLength(1);
    // A dismissal is undone like any review action, and the sentence is offered again.
    expect(q("undo-label")!.textContent).toBe("Suggestion dismissed");
    press("z", document.body, { ctrlKey: true });
    await settle();
    expect(backend.state.calls).toContain("restore suggestion Officials said the bridge closed.");
    expect(all("suggestion").map((s) => s.textContent)).toEqual(["Officials said the bridge closed."]);
    all("suggestion")[0].click();
    flushSync();
    q("dismiss-suggestion")!.click();
    await settle();
    expect(all("suggestion")).toHaveLength(0);

    // Hiding suggestions leaves claims alone.
    backend.state.suggestions.push(sentence("Officials said the bridge closed.", "none", null));
    press("j");
    backend.state.claims = [...backend.state.claims];
    for (const listener of backend.state.listeners) listener({ event: "changed", draft: draftId(3), path: "kabul.txt" });
    await settle();
    expect(all("suggestion")).toHaveLength(1);
    q("toggle-suggestions")!.click();
    flushSync();
    expect(all("suggestion")).toHaveLength(0);
    expect(all("claim-mark")).toHaveLength(1);
  });

  it("opens the export dialog with e, on the draft or the whole desk, and keeps the keys while it is open", async () => {
    mounted = mount(App, { target: document.body });
    await settle();
    press("e");
    await settle();
    // No draft open: the whole desk.
    expect(q("export-dialog")).not.toBeNull();
    expect(backend.state.calls.at(-1)).toBe(`render ${JSON.stringify({ scope: { kind: "desk" }, format: "html", profile: "desk", include_text: false })}`);
    press("Escape");
    expect(q("export-dialog")).toBeNull();

    q("draft-item")!.click();
    await settle();
    q("open-export-draft")!.click();
    await settle();
    expect(backend.state.calls.at(-1)).toBe(`render ${JSON.stringify({ scope: { kind: "draft", draft: 3 }, format: "html", profile: "desk", include_text: false })}`);
    expect(q("export-file-name")!.textContent).toBe("kabul-review.html");
    // The reader's keys wait behind the dialog.
    const before = backend.state.calls.length;
    press("h");
    press("1");
    await settle();
    expect(backend.state.calls.length).toBe(before);
    expect(q("history")).toBeNull();
    press("Escape");
    expect(q("export-dialog")).toBeNull();
    expect(q("reader-text")).not.toBeNull();
  });

  it("focuses search with /, groups the hits by kind and opens the claim chosen with the keyboard", async () => {
    backend.state.text = "Sources tell Strike Source that the “deal” 🎉 was worth 50 billion.";
    backend.state.calls = [];
    mounted = mount(App, { target: document.body });
    await settle();
    q("draft-item")!.click();
    await settle();
    selectInText(0, "50 billion");
    press("c");
    await settle();
    q("open-sources")!.click();
    await settle();
    expect(q("reader-text")).toBeNull();

    press("/");
    const input = q("search-input") as HTMLInputElement;
    expect(document.activeElement).toBe(input);
    input.value = "billion";
    input.dispatchEvent(new Event("input", { bubbles: true }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    await settle();
    expect(backend.state.calls).toContain("search billion");
    expect(all("search-group").map((g) => g.dataset.kind)).toEqual(["draft", "claim"]);
    expect(all("search-hit").map((h) => h.querySelector("mark")!.textContent)).toEqual(["billion", "billion"]);
    // The draft group comes first; the arrow moves to the claim, Enter opens it.
    expect(document.querySelector('[data-testid="search-hit"][aria-selected="true"]')!.getAttribute("data-kind")).toBe("draft");
    press("ArrowDown", input);
    expect(document.querySelector('[data-testid="search-hit"][aria-selected="true"]')!.getAttribute("data-kind")).toBe("claim");
    press("Enter", input);
    await settle();
    expect(q("search-results")).toBeNull();
    expect(q("reader-text")).not.toBeNull();
    expect(q("claim-inspector")!.dataset.claimId).toBe("1");
    // Typing in the box is not a reader key.
    press("/", input);
    expect(q("history")).toBeNull();
  });

  it("narrows the search to what is assigned to the person typed in the filters", async () => {
    backend.state.calls = [];
    mounted = mount(App, { target: document.body });
    await settle();
    press("/");
    const input = q("search-input") as HTMLInputElement;
    input.value = "billion";
    input.dispatchEvent(new Event("input", { bubbles: true }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    await settle();
    expect(backend.state.calls).toContain("search billion");
    q("search-filters-toggle")!.click();
    flushSync();
    const assignee = q("search-filter-assignee") as HTMLInputElement;
    assignee.value = " Dana ";
    assignee.dispatchEvent(new Event("input", { bubbles: true }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    await settle();
    expect(backend.state.calls).toContain("search billion assigned to Dana");
    expect(q("search-filters-toggle")!.textContent).toContain("Filters (1)");
    expect(q("search-results")).not.toBeNull();
    // Clear takes the name away too, and asks again for everyone's.
    const asked = backend.state.calls.length;
    q("search-filters-clear")!.click();
    await settle();
    expect(backend.state.calls.slice(asked)).toEqual(["search billion"]);
    expect((q("search-filter-assignee") as HTMLInputElement).value).toBe("");
  });

  it("runs any action from the command palette (Ctrl+K) and lists every key with ?", async () => {
    backend.state.text = "Sources tell Strike Source that the “deal” 🎉 was worth 50 billion.";
    backend.state.calls = [];
    mounted = mount(App, { target: document.body });
    await settle();
    q("draft-item")!.click();
    await settle();
    selectInText(0, "50 billion");
    press("c");
    await settle();
    const claim = q("claim-inspector")!.dataset.claimId;

    press("k", document.body, { ctrlKey: true });
    const input = q("palette-input") as HTMLInputElement;
    expect(document.activeElement).toBe(input);
    input.value = "status disputed";
    input.dispatchEvent(new Event("input", { bubbles: true }));
    flushSync();
    expect(all("palette-action").map((a) => a.dataset.action)).toEqual(["status-disputed"]);
    // Reader keys wait while the palette is open.
    press("j", input);
    press("Enter", input);
    await settle();
    expect(q("command-palette")).toBeNull();
    expect(backend.state.calls).toContain(`status ${claim} disputed`);

    // An action that cannot run now is listed, greyed, and Enter does nothing.
    press("k", document.body, { ctrlKey: true });
    const again = q("palette-input") as HTMLInputElement;
    again.value = "tag the selected";
    again.dispatchEvent(new Event("input", { bubbles: true }));
    flushSync();
    expect(q("palette-action")!.getAttribute("aria-disabled")).toBe("true");
    press("Enter", again);
    expect(q("command-palette")).not.toBeNull();
    press("Escape", again);
    expect(q("command-palette")).toBeNull();

    press("?");
    expect(q("keyboard-map")).not.toBeNull();
    const keys = all("keyboard-map-entry").map((e) => e.querySelector("kbd")!.textContent);
    expect(keys).toEqual(expect.arrayContaining(["/", "e", "h", "c", "j", "k", "1", "5", "Ctrl+Z", "Ctrl+K", "?"]));
    press("j", q("keyboard-map")!);
    expect(q("claim-inspector")!.dataset.claimId).toBe(claim);
    press("Escape", q("keyboard-map")!);
    expect(q("keyboard-map")).toBeNull();
  });

  it("assigns the selected claim from the inspector, lists it as mine, and opening an inbox entry opens the claim and reads it", async () => {
    backend.state.text = "Sources tell Strike Source that the “deal” 🎉 was worth 50 billion.";
    backend.state.claims = [];
    backend.state.calls = [];
    backend.state.assigned = [];
    mounted = mount(App, { target: document.body });
    await settle();
    q("draft-item")!.click();
    await settle();
    selectInText(0, "50 billion");
    q("tag-claim")!.click();
    await settle();
    const claim = Number(q("claim-inspector")!.dataset.claimId);
    q("assign-open")!.click();
    flushSync();
    const to = q("assign-to") as HTMLInputElement;
    to.value = "ana";
    to.dispatchEvent(new Event("input", { bubbles: true }));
    // No due date until one is asked for (an empty date field looked filled in).
    expect(q("assign-no-due")!.textContent).toBe("No due date");
    q("assign-set-due")!.click();
    await settle();
    const due = q("assign-due") as HTMLInputElement;
    due.value = "2026-11-20";
    due.dispatchEvent(new Event("input", { bubbles: true }));
    flushSync();
    q("assign-save")!.click();
    await settle();
    expect(backend.state.calls).toContain(`assign ${claim} ana 2026-11-20`);
    expect(q("assignee")!.textContent).toBe("ana");
    expect(q("assignment-line")!.textContent).toContain("Overdue: due 2026-11-20");
    // The assignment is a review change: the sidebar reads the reviewer's work again.
    q("tab-assigned")!.click();
    await settle();
    expect(all("assigned-item").map((i) => [i.dataset.claimId, i.dataset.overdue])).toEqual([[String(claim), "true"]]);
    expect(q("assigned-count")!.classList.contains("alert")).toBe(true);

    // Someone mentions the reviewer (another process): the window reloads on the event and counts it unread.
    backend.state.inbox = [
      { id: inboxId(9), kind: "mention", claim: claimId(claim), draft: draftId(3), draft_path: "kabul.txt", draft_title: "Kabul", quote: "50 billion", note: "@ana which currency?", due: null, from: "ben", at: "2026-12-01T10:00:00Z", read: false },
    ];
    for (const listener of backend.state.listeners) listener({ event: "reviewed" });
    await settle();
    expect(q("inbox-unread")!.textContent).toBe("1");
    q("tab-inbox")!.click();
    await settle();
    const entry = q("inbox-item")!;
    expect(entry.dataset.read).toBe("false");
    expect(entry.textContent).toContain("ben mentioned you on a claim");
    expect(entry.textContent).toContain("@ana which currency?");
    entry.click();
    await settle();
    expect(backend.state.calls).toContain("read 9");
    expect(q("claim-inspector")!.dataset.claimId).toBe(String(claim));
    expect(q("inbox-unread")!.textContent).toBe("0");
    expect(q("inbox-item")!.dataset.read).toBe("true");
  });

  it("shows the desk dashboard when no draft is open, and opens a draft from it", async () => {
    backend.state.claims = [];
    mounted = mount(App, { target: document.body });
    await settle();
    expect(q("dashboard")).not.toBeNull();
    expect(q("dashboard-close")).toBeNull();
    expect(all("dashboard-row").map((r) => r.dataset.path)).toEqual(["kabul.txt"]);
    expect(q("dashboard-blocker")!.dataset.rule).toBe("unresolved-claim");
    expect(q("total-drafts")!.textContent).toBe("1");
    // Charts are the core's SVG as images, never markup in the page.
    expect(q("dashboard")!.querySelector("svg")).toBeNull();
    expect(q("dashboard")!.querySelector("img")!.getAttribute("src")).toMatch(/^data:image\/svg\+xml/);
    q("dashboard-open")!.click();
    await settle();
    expect(q("dashboard")).toBeNull();
    expect(q("reader-text")).not.toBeNull();
    q("open-dashboard")!.click();
    await settle();
    expect(q("dashboard")).not.toBeNull();
    q("dashboard-close")!.click();
    await settle();
    expect(q("reader-text")).not.toBeNull();
  });

  it("removes a claim tagged by mistake and brings it back with Undo (the toast or Ctrl+Z), last action first", async () => {
    backend.state.text = "Sources tell Strike Source that the “deal” 🎉 was worth 50 billion.";
    backend.state.calls = [];
    backend.state.claims = [];
    backend.state.removed = [];
    backend.state.suggestions = [];
    mounted = mount(App, { target: document.body });
    await settle();
    q("draft-item")!.click();
    await settle();
    // The live region is there before anything is announced (a region added with its message is often not
    // read out), at the foot of the drafts sidebar: never over the draft's text (usertest F13).
    const region = q("undo-region")!;
    expect(region.getAttribute("aria-live")).toBe("polite");
    expect(region.closest("nav.sidebar")).not.toBeNull();
    selectInText(0, "50 billion");
    press("c");
    await settle();
    expect(q("undo-label")!.textContent).toBe("Claim tagged");
    expect(q("undo-toast")!.closest('[data-testid="undo-region"]')).toBe(region);
    expect(q("reader")!.contains(q("undo-toast"))).toBe(false);
    press("2");
    await settle();
    expect(q("undo-label")!.textContent).toBe("Status set to Corroborated");

    q("claim-remove")!.click();
    await settle();
    expect(backend.state.calls).toContain("remove 1");
    expect(all("claim-mark")).toHaveLength(0);
    expect(q("claim-inspector")).toBeNull();
    expect(q("undo-label")!.textContent).toBe("Claim removed");

    // The toast's button.
    q("undo")!.click();
    await settle();
    expect(backend.state.calls).toContain("restore 1");
    expect(all("claim-mark").map((m) => [m.textContent, m.dataset.status])).toEqual([["50 billion", "corroborated"]]);
    expect(q("claim-inspector")!.dataset.claimId).toBe("1");
    expect(q("undo-done")!.textContent).toBe("Undone: Claim removed");

    // Ctrl+Z, but not while typing in a field: there the field undoes its own text.
    press("z", q("note-input")!, { ctrlKey: true });
    await settle();
    expect(backend.state.calls).not.toContain("status 1 needs-corroboration");
    press("z", document.body, { ctrlKey: true });
    await settle();
    expect(backend.state.calls).toContain("status 1 needs-corroboration");
    expect(q("claim-mark")!.dataset.status).toBe("needs-corroboration");
    press("z", document.body, { ctrlKey: true });
    await settle();
    expect(backend.state.calls.filter((c) => c === "remove 1")).toHaveLength(2);
    expect(all("claim-mark")).toHaveLength(0);
    // Nothing left to undo.
    const calls = backend.state.calls.length;
    press("z", document.body, { ctrlKey: true });
    await settle();
    expect(backend.state.calls).toHaveLength(calls);
  });

  it("moves the selected claim onto the text selected in the reader, and Undo moves it back", async () => {
    backend.state.text = "Sources tell Strike Source that the “deal” 🎉 was worth 50 billion.";
    backend.state.calls = [];
    backend.state.claims = [];
    backend.state.removed = [];
    backend.state.suggestions = [];
    mounted = mount(App, { target: document.body });
    await settle();
    q("draft-item")!.click();
    await settle();
    selectInText(0, "Strike Source");
    press("c");
    await settle();
    expect(q("claim-move")).toBeNull();

    selectInText(0, "50 billion");
    await settle();
    q("claim-move")!.click();
    await settle();
    expect(backend.state.calls.at(-1)).toMatch(/^move 1 \{"exact":"50 billion"/);
    expect(all("claim-mark").map((m) => m.textContent)).toEqual(["50 billion"]);
    expect(q("undo-label")!.textContent).toBe("Claim moved");

    press("z", document.body, { ctrlKey: true });
    await settle();
    // Back where it was, with its context, as the core anchors any quote.
    expect(backend.state.calls.at(-1)).toBe(`move 1 ${JSON.stringify({ exact: "Strike Source", prefix: "Sources tell ", suffix: Array.from(" that the “deal” 🎉 was worth 50 billion.").slice(0, 32).join("") })}`);
    expect(all("claim-mark").map((m) => m.textContent)).toEqual(["Strike Source"]);
  });
});
