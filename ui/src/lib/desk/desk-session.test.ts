import { describe, expect, it } from "vitest";
import {
  IpcError,
  type AnchorResolution,
  type ClaimStatus,
  type ClaimView,
  type DeskApi,
  type DeskEvent,
  type DeskView,
  type DraftDocument,
  type DraftSummary,
  type ScanProgress,
  type TextQuoteSelector,
} from "$lib/ipc";
import { DeskSession } from "./desk-session.svelte";
import { claimId, deskId, draftId, versionId } from "$lib/testing/ids";

function summary(id: number, path: string, overrides: Partial<DraftSummary> = {}): DraftSummary {
  return { id: draftId(id), path, title: path, format: "markdown", words: 3, state: "ok", reason: null, missing: false, ...overrides };
}

/** An in-memory backend: a folder of drafts the test edits, and the events it would emit. */
class FakeDesk implements DeskApi {
  desk: DeskView | null = { id: deskId(1), path: "/desks/news", watch: "native", notice: null };
  drafts = new Map<number, { summary: DraftSummary; text: string; versions: number }>();
  calls: string[] = [];
  chosen: string | null = "/desks/other";
  failNext: IpcError | null = null;
  claims: ClaimView[] = [];
  #nextClaim = 1;
  #deskListeners: ((event: DeskEvent) => void)[] = [];
  #scanListeners: ((progress: ScanProgress) => void)[] = [];

  put(id: number, path: string, text: string, overrides: Partial<DraftSummary> = {}) {
    const versions = (this.drafts.get(id)?.versions ?? 0) + 1;
    this.drafts.set(id, { summary: summary(id, path, overrides), text, versions });
  }

  emit(event: DeskEvent) {
    for (const listener of this.#deskListeners) listener(event);
  }

  progress(seen: number, total: number) {
    for (const listener of this.#scanListeners) listener({ seen, total });
  }

  #failIfAsked() {
    const failure = this.failNext;
    this.failNext = null;
    if (failure) throw failure;
  }

  async currentDesk() {
    this.calls.push("currentDesk");
    return this.desk;
  }
  async openDesk(path: string) {
    this.calls.push(`openDesk ${path}`);
    this.#failIfAsked();
    this.desk = { id: deskId(2), path, watch: "polling", notice: "Watching by polling." };
    return this.desk;
  }
  async listDrafts() {
    this.calls.push("listDrafts");
    this.#failIfAsked();
    return [...this.drafts.values()].map((draft) => draft.summary);
  }
  async getDraft(id: number): Promise<DraftDocument> {
    this.calls.push(`getDraft ${id}`);
    this.#failIfAsked();
    const draft = this.drafts.get(id);
    if (!draft) throw new IpcError("not_found", `No draft ${id}.`);
    return {
      draft: draft.summary,
      version: versionId(draft.versions),
      versions: draft.versions,
      marks: null,
      comments: [],
      blocks: [{ kind: "paragraph", level: 0, start: 0, end: draft.text.length, text: draft.text }],
    };
  }
  async tagClaim(draft: number, quote: TextQuoteSelector): Promise<ClaimView> {
    this.calls.push(`tagClaim ${draft} ${quote.exact}`);
    this.#failIfAsked();
    const text = this.drafts.get(draft)?.text ?? "";
    const places = [...text.matchAll(new RegExp(quote.exact.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "g"))].map((m) => m.index);
    if (places.length === 0) throw new IpcError("quote_not_found", "The selected text is not in the current version.");
    const fitting = places.filter((at) => text.slice(0, at).endsWith(quote.prefix) && text.slice(at + quote.exact.length).startsWith(quote.suffix));
    if (fitting.length !== 1) throw new IpcError("quote_ambiguous", "The selected text occurs more than once.");
    const start = Array.from(text.slice(0, fitting[0])).length;
    const claim = claimView(this.#nextClaim++, draft, quote.exact, start);
    this.claims.push(claim);
    return claim;
  }
  async listClaims(draft: number): Promise<ClaimView[]> {
    this.calls.push(`listClaims ${draft}`);
    return this.claims.filter((claim) => claim.draft === draft);
  }
  async setClaimStatus(id: number, status: ClaimStatus, version: number): Promise<ClaimView> {
    this.calls.push(`setClaimStatus ${id} ${status}`);
    this.#failIfAsked();
    const at = this.claims.findIndex((claim) => claim.id === id);
    if (at === -1) throw new IpcError("not_found", `No claim ${id}.`);
    // Compare-and-set, as the core: a status changed since the version seen is refused.
    const now = this.claims[at];
    if (now.version !== version) throw new IpcError("conflict", `claim ${id} was set to ${now.status} by ${now.updated_by} since you saw it`);
    this.claims[at] = { ...now, status, updated_at: "2026-11-29T07:00:00Z", version: version + 1 };
    return this.claims[at];
  }
  /** Another person (another window) setting a claim's status. */
  setStatusAs(by: string, id: number, status: ClaimStatus): void {
    const at = this.claims.findIndex((claim) => claim.id === id);
    this.claims[at] = { ...this.claims[at], status, updated_by: by, updated_at: "2026-12-01T16:19:52Z", version: this.claims[at].version + 1 };
  }
  async resolveClaim(id: number, resolution: AnchorResolution): Promise<ClaimView> {
    this.calls.push(`resolveClaim ${id} ${JSON.stringify(resolution)}`);
    this.#failIfAsked();
    const at = this.claims.findIndex((claim) => claim.id === id);
    if (at === -1) throw new IpcError("not_found", `No claim ${id}.`);
    const claim = this.claims[at];
    const placed =
      resolution.action === "choose"
        ? { start: resolution.start, end: resolution.end }
        : resolution.action === "reattach"
          ? { start: 0, end: Array.from(resolution.quote.exact).length, quote: resolution.quote.exact }
          : {};
    this.claims[at] = { ...claim, ...placed, needs_attention: false };
    return this.claims[at];
  }
  async deskAttention(): Promise<ClaimView[]> {
    this.calls.push("deskAttention");
    this.#failIfAsked();
    return this.claims.filter((claim) => claim.needs_attention);
  }
  async onDeskChanged(handler: (event: DeskEvent) => void) {
    this.calls.push("onDeskChanged");
    this.#deskListeners.push(handler);
    return () => (this.#deskListeners = this.#deskListeners.filter((l) => l !== handler));
  }
  async onScanProgressed(handler: (progress: ScanProgress) => void) {
    this.calls.push("onScanProgressed");
    this.#scanListeners.push(handler);
    return () => (this.#scanListeners = this.#scanListeners.filter((l) => l !== handler));
  }
  async chooseFolder() {
    return this.chosen;
  }
}

function claimView(id: number, draft: number, quote: string, start: number | null, overrides: Partial<ClaimView> = {}): ClaimView {
  return {
    id: claimId(id),
    draft: draftId(draft),
    status: "needs-corroboration",
    quote,
    original_quote: quote,
    start,
    end: start === null ? null : start + Array.from(quote).length,
    anchor: { state: "anchored", confidence: 1, candidates: [] },
    needs_attention: false,
    attribution: { kind: "none", from: "wording", cue: null },
    created_by: "editor",
    created_at: "2026-11-29T06:00:00Z",
    updated_by: "editor",
    updated_at: "2026-11-29T06:00:00Z",
    version: 1,
    ...overrides,
  };
}

async function settle() {
  for (let i = 0; i < 10; i++) await Promise.resolve();
  await new Promise((resolve) => setTimeout(resolve, 0));
}

async function started(fake = new FakeDesk()) {
  fake.put(1, "b.md", "Second draft.");
  fake.put(2, "a.md", "First draft.");
  const session = new DeskSession(fake);
  await session.start();
  return { fake, session };
}

function text(session: DeskSession) {
  return session.document?.blocks.map((block) => block.text).join("\n");
}

describe("DeskSession", () => {
  it("listens before asking for the desk, then lists its drafts by path", async () => {
    const { fake, session } = await started();
    expect(fake.calls.slice(0, 3)).toEqual(["onDeskChanged", "onScanProgressed", "currentDesk"]);
    expect(session.starting).toBe(false);
    expect(session.desk?.path).toBe("/desks/news");
    expect(session.drafts.map((d) => d.path)).toEqual(["a.md", "b.md"]);
  });

  it("starts with no desk on a first start", async () => {
    const fake = new FakeDesk();
    fake.desk = null;
    const { session } = await started(fake);
    expect(session.desk).toBeNull();
    expect(fake.calls).not.toContain("listDrafts");
  });

  it("shows the selected draft", async () => {
    const { session } = await started();
    await session.select(draftId(2));
    expect(session.selectedId).toBe(2);
    expect(text(session)).toBe("First draft.");
  });

  it("fetches the claims again after a claim's sourcing changed, so its attribution follows its sources", async () => {
    const { fake, session } = await started();
    await session.select(draftId(2));
    const claim = await session.tagClaim({ exact: "First", prefix: "", suffix: "" });
    expect(session.claims[0].attribution.from).toBe("wording");
    // The core now answers from the source linked as attributed.
    fake.claims[0] = { ...fake.claims[0], attribution: { kind: "unnamed", from: "sources", cue: null } };
    await session.reloadClaims();
    expect(session.claims.map((c) => [c.id, c.attribution.from])).toEqual([[claim!.id, "sources"]]);
  });

  it("lists a new file when it is added", async () => {
    const { fake, session } = await started();
    fake.put(3, "c.md", "Breaking.");
    fake.emit({ event: "added", draft: draftId(3), path: "c.md" });
    await settle();
    expect(session.drafts.map((d) => d.path)).toEqual(["a.md", "b.md", "c.md"]);
  });

  it("updates the open draft's text when its file changes", async () => {
    const { fake, session } = await started();
    await session.select(draftId(2));
    fake.put(2, "a.md", "First draft, rewritten.");
    fake.emit({ event: "changed", draft: draftId(2), path: "a.md" });
    await settle();
    expect(text(session)).toBe("First draft, rewritten.");
    expect(session.document?.versions).toBe(2);
  });

  it("does not refetch the open draft when another one changes", async () => {
    const { fake, session } = await started();
    await session.select(draftId(2));
    fake.calls = [];
    fake.put(1, "b.md", "Second draft, rewritten.");
    fake.emit({ event: "changed", draft: draftId(1), path: "b.md" });
    await settle();
    expect(fake.calls).toEqual(["listDrafts", "deskAttention"]);
  });

  it("keeps a renamed open draft open under its new path", async () => {
    const { fake, session } = await started();
    await session.select(draftId(2));
    fake.put(2, "archive/a.md", "First draft.");
    fake.emit({ event: "renamed", draft: draftId(2), path: "archive/a.md", from: "a.md" });
    await settle();
    expect(session.selectedId).toBe(2);
    expect(session.document?.draft.path).toBe("archive/a.md");
    expect(session.drafts.map((d) => d.path)).toContain("archive/a.md");
  });

  it("keeps showing a deleted open draft, marked missing", async () => {
    const { fake, session } = await started();
    await session.select(draftId(2));
    fake.put(2, "a.md", "First draft.", { missing: true });
    fake.emit({ event: "missing", draft: draftId(2), path: "a.md" });
    await settle();
    expect(session.document?.draft.missing).toBe(true);
    expect(text(session)).toBe("First draft.");
  });

  it("keeps the text on screen when a refresh of the open draft fails", async () => {
    const { fake, session } = await started();
    await session.select(draftId(2));
    fake.failNext = new IpcError("store", "database is locked");
    await session.reloadDocument();
    expect(text(session)).toBe("First draft.");
    expect(session.error).toEqual({ code: "store", message: "database is locked" });
    session.dismissError();
    expect(session.error).toBeNull();
  });

  it("collects problem events as notices and counts them with problem files", async () => {
    const fake = new FakeDesk();
    fake.put(5, "noise.md", "", { state: "skipped", reason: "binary content" });
    const { session } = await started(fake);
    fake.emit({ event: "problem", path: null, message: "Too many files to watch natively; polling instead." });
    await settle();
    expect(session.notices).toEqual([{ path: null, message: "Too many files to watch natively; polling instead." }]);
    expect(session.problems.map((d) => d.path)).toEqual(["noise.md"]);
    expect(session.problemCount).toBe(2);
    session.clearNotices();
    expect(session.problemCount).toBe(1);
  });

  it("shows scan progress until the scan is complete, then refreshes the list", async () => {
    const { fake, session } = await started();
    fake.progress(3, 10);
    expect(session.scanning).toBe(true);
    expect(session.scan).toEqual({ seen: 3, total: 10 });
    fake.calls = [];
    fake.progress(10, 10);
    await settle();
    expect(session.scanning).toBe(false);
    expect(fake.calls).toContain("listDrafts");
  });

  it("opens a chosen folder and forgets the old desk's selection", async () => {
    const { fake, session } = await started();
    await session.select(draftId(2));
    await session.chooseAndOpenFolder();
    expect(fake.calls).toContain("openDesk /desks/other");
    expect(session.desk?.path).toBe("/desks/other");
    expect(session.desk?.notice).toBe("Watching by polling.");
    expect(session.selectedId).toBeNull();
    expect(session.document).toBeNull();
    expect(session.problemCount).toBe(1);
  });

  it("does nothing when the folder dialog is cancelled", async () => {
    const { fake, session } = await started();
    fake.chosen = null;
    await session.chooseAndOpenFolder();
    expect(fake.calls.some((call) => call.startsWith("openDesk"))).toBe(false);
  });

  it("shows the message when a folder cannot be opened", async () => {
    const { fake, session } = await started();
    fake.failNext = new IpcError("folder_missing", "The folder /desks/other does not exist.");
    await session.openDesk("/desks/other");
    expect(session.error?.code).toBe("folder_missing");
    expect(session.desk?.path).toBe("/desks/news");
    expect(session.opening).toBe(false);
  });

  it("throws away a slow answer for a draft no longer selected", async () => {
    const { fake, session } = await started();
    const slowFake = fake as FakeDesk & { getDraft: FakeDesk["getDraft"] };
    const original = slowFake.getDraft.bind(fake);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    slowFake.getDraft = async (id) => {
      if (id === 1) await held;
      return original(id);
    };
    const first = session.select(draftId(1));
    const second = session.select(draftId(2));
    release();
    await Promise.all([first, second]);
    expect(session.selectedId).toBe(2);
    expect(text(session)).toBe("First draft.");
  });

  it("stops listening when stopped", async () => {
    const { fake, session } = await started();
    session.stop();
    fake.put(3, "c.md", "Late.");
    fake.emit({ event: "added", draft: draftId(3), path: "c.md" });
    await settle();
    expect(session.drafts).toHaveLength(2);
  });
});

describe("DeskSession claims", () => {
  it("fetches the open draft's claims with its text", async () => {
    const fake = new FakeDesk();
    fake.claims = [claimView(7, 2, "draft", 6), claimView(8, 1, "Second", 0)];
    const { session } = await started(fake);
    await session.select(draftId(2));
    expect(fake.calls).toContain("listClaims 2");
    expect(session.claims.map((c) => c.id)).toEqual([7]);
    await session.select(draftId(1));
    expect(session.claims.map((c) => c.id)).toEqual([8]);
  });

  it("tags the selected quote, shows the claim and selects it", async () => {
    const { fake, session } = await started();
    await session.select(draftId(2));
    session.setSelectionQuote({ exact: "draft", prefix: "First ", suffix: "." });
    const claim = await session.tagClaim();
    expect(fake.calls).toContain("tagClaim 2 draft");
    expect(claim).toMatchObject({ start: 6, end: 11 });
    expect(session.claims.map((c) => c.id)).toEqual([claim!.id]);
    expect(session.selectedClaimId).toBe(claim!.id);
    expect(session.selectedClaim?.quote).toBe("draft");
    expect(session.selectionQuote).toBeNull();
    expect(session.claimCounts["needs-corroboration"]).toBe(1);
  });

  it("shows the core's message when a quote cannot be placed", async () => {
    const { session } = await started();
    await session.select(draftId(2));
    expect(await session.tagClaim({ exact: "nowhere", prefix: "", suffix: "" })).toBeNull();
    expect(session.error).toEqual({ code: "quote_not_found", message: "The selected text is not in the current version." });
    expect(session.claims).toEqual([]);
  });

  it("does nothing without a quote or an open draft", async () => {
    const { fake, session } = await started();
    expect(await session.tagClaim({ exact: "x", prefix: "", suffix: "" })).toBeNull();
    await session.select(draftId(2));
    expect(await session.tagClaim()).toBeNull();
    expect(fake.calls.some((call) => call.startsWith("tagClaim"))).toBe(false);
  });

  it("sets the selected claim's status", async () => {
    const fake = new FakeDesk();
    fake.claims = [claimView(7, 2, "draft", 6)];
    const { session } = await started(fake);
    await session.select(draftId(2));
    session.selectClaim(claimId(7));
    await session.setClaimStatus("disputed");
    expect(fake.calls).toContain("setClaimStatus 7 disputed");
    expect(session.selectedClaim?.status).toBe("disputed");
    expect(session.claimCounts.disputed).toBe(1);
    fake.calls = [];
    await session.setClaimStatus("disputed");
    expect(fake.calls).toEqual([]);
  });

  it("does not overwrite a status someone changed since: shows theirs and who, then reapplies mine or keeps theirs", async () => {
    const fake = new FakeDesk();
    fake.claims = [claimView(7, 2, "draft", 6)];
    const { session } = await started(fake);
    await session.select(draftId(2));
    session.selectClaim(claimId(7));
    // Another window sets the status; this one has not read it yet.
    fake.setStatusAs("Ben", 7, "disputed");
    await session.setClaimStatus("corroborated");
    expect(session.error).toBeNull();
    expect(session.statusConflict).toMatchObject({ claim: 7, mine: "corroborated", theirs: "disputed", by: "Ben", at: "2026-12-01T16:19:52Z" });
    expect(session.selectedClaim?.status).toBe("disputed");
    expect(fake.claims[0].status).toBe("disputed");

    await session.reapplyStatus();
    expect(session.statusConflict).toBeNull();
    expect(fake.claims[0].status).toBe("corroborated");
    expect(session.selectedClaim?.status).toBe("corroborated");

    fake.setStatusAs("Ben", 7, "cleared");
    await session.setClaimStatus("unverifiable");
    expect(session.statusConflict?.theirs).toBe("cleared");
    session.keepTheirStatus();
    expect(session.statusConflict).toBeNull();
    expect(fake.claims[0].status).toBe("cleared");
  });

  it("moves between claims in reading order with j/k steps", async () => {
    const fake = new FakeDesk();
    fake.put(2, "a.md", "One two three four.");
    fake.claims = [claimView(1, 2, "three", 8), claimView(2, 2, "One", 0), claimView(3, 2, "gone", null, { anchor: { state: "orphaned", confidence: 0, candidates: [] } })];
    const { session } = await started(fake);
    await session.select(draftId(2));
    session.stepClaim(1);
    expect(session.selectedClaimId).toBe(2);
    session.stepClaim(1);
    expect(session.selectedClaimId).toBe(1);
    session.stepClaim(1);
    expect(session.selectedClaimId).toBe(3);
    session.stepClaim(-1);
    expect(session.selectedClaimId).toBe(1);
  });

  it("refetches claims when the open draft's file changes, and forgets a vanished selection", async () => {
    const fake = new FakeDesk();
    fake.claims = [claimView(7, 2, "draft", 6)];
    const { session } = await started(fake);
    await session.select(draftId(2));
    session.selectClaim(claimId(7));
    fake.put(2, "a.md", "New text above.\n\nFirst draft.");
    fake.claims = [claimView(7, 2, "draft", 23, { anchor: { state: "moved", confidence: 1, candidates: [] } })];
    fake.emit({ event: "changed", draft: draftId(2), path: "a.md" });
    await settle();
    expect(session.claims[0]).toMatchObject({ start: 23, anchor: { state: "moved" } });
    expect(session.selectedClaimId).toBe(7);

    fake.claims = [];
    fake.emit({ event: "changed", draft: draftId(2), path: "a.md" });
    await settle();
    expect(session.claims).toEqual([]);
    expect(session.selectedClaimId).toBeNull();
  });
});

describe("DeskSession needs attention", () => {
  const ambiguous = (id: number, draft: number, quote: string) =>
    claimView(id, draft, quote, null, {
      needs_attention: true,
      attribution: { kind: "none", from: "wording", cue: null },
      anchor: { state: "ambiguous", confidence: 0.9, candidates: [{ start: 0, end: 5, score: 0.9 }, { start: 6, end: 11, score: 0.9 }] },
    });

  it("fetches the desk's claims that need attention, with their drafts' titles", async () => {
    const fake = new FakeDesk();
    fake.claims = [ambiguous(7, 1, "Second"), claimView(8, 2, "draft", 6), ambiguous(9, 2, "First")];
    const { session } = await started(fake);
    expect(fake.calls).toContain("deskAttention");
    expect(session.attentionEntries.map((e) => [e.claim.id, e.title])).toEqual([
      [9, "a.md"],
      [7, "b.md"],
    ]);
  });

  it("opens a claim's draft and selects the claim", async () => {
    const fake = new FakeDesk();
    fake.claims = [ambiguous(7, 1, "Second")];
    const { session } = await started(fake);
    await session.openClaim(session.attention[0]);
    expect(session.selectedId).toBe(1);
    expect(session.document?.draft.id).toBe(1);
    expect(session.selectedClaimId).toBe(7);
  });

  it("chooses a candidate, updates the claim and refreshes the list", async () => {
    const fake = new FakeDesk();
    fake.claims = [ambiguous(7, 1, "Second")];
    const { session } = await started(fake);
    await session.openClaim({ id: claimId(7), draft: draftId(1) });
    const view = await session.resolveClaim({ action: "choose", start: 0, end: 6 });
    await settle();
    expect(fake.calls).toContain('resolveClaim 7 {"action":"choose","start":0,"end":6}');
    expect(view?.needs_attention).toBe(false);
    expect(session.selectedClaim).toMatchObject({ start: 0, end: 6, needs_attention: false });
    expect(session.attention).toEqual([]);
    expect(session.resolving).toBeNull();
  });

  it("re-attaches to the reader's selection, and does nothing without one", async () => {
    const fake = new FakeDesk();
    fake.claims = [ambiguous(7, 1, "Second")];
    const { session } = await started(fake);
    await session.openClaim({ id: claimId(7), draft: draftId(1) });
    expect(await session.reattachToSelection()).toBeNull();
    expect(fake.calls.some((call) => call.startsWith("resolveClaim"))).toBe(false);
    const quote = { exact: "draft", prefix: "Second ", suffix: "." };
    session.setSelectionQuote(quote);
    await session.reattachToSelection();
    expect(fake.calls).toContain(`resolveClaim 7 ${JSON.stringify({ action: "reattach", quote })}`);
    expect(session.selectionQuote).toBeNull();
  });

  it("shows the core's error when a resolution fails", async () => {
    const fake = new FakeDesk();
    fake.claims = [ambiguous(7, 1, "Second")];
    const { session } = await started(fake);
    await session.openClaim({ id: claimId(7), draft: draftId(1) });
    fake.failNext = new IpcError("invalid_input", "That is not one of the candidates.");
    expect(await session.resolveClaim({ action: "keep-detached" })).toBeNull();
    expect(session.error).toEqual({ code: "invalid_input", message: "That is not one of the candidates." });
    expect(session.selectedClaim?.needs_attention).toBe(true);
  });

  it("refreshes the list when the desk changes and after a status change", async () => {
    const fake = new FakeDesk();
    fake.claims = [claimView(7, 2, "draft", 6)];
    const { session } = await started(fake);
    expect(session.attention).toEqual([]);
    fake.claims = [ambiguous(7, 2, "draft")];
    fake.emit({ event: "changed", draft: draftId(2), path: "a.md" });
    await settle();
    expect(session.attention.map((c) => c.id)).toEqual([7]);
    await session.select(draftId(2));
    fake.calls = [];
    await session.setClaimStatus("disputed", claimId(7));
    await settle();
    expect(fake.calls).toContain("deskAttention");
  });
});
