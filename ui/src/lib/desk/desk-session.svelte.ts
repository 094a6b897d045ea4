// The state of one window: which desk is open, its drafts, the draft being read, scan progress,
// notices and the last error. Components read it and call its methods; it talks to the backend only
// through the DeskApi it is given, so tests drive it with a fake.

import {
  toIpcError,
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
  type Unlisten,
  type ClaimId,
  type DraftId,
} from "$lib/ipc";
import { attentionEntries, countByStatus, orderClaims, stepClaim } from "$lib/claims/claims";
import { coalesce } from "./coalesce";
import { invalidate } from "$lib/state/invalidation";
import { goneSince, saveOnVersion } from "$lib/state/conflict";
import { appendNotice, refreshFor, type Notice } from "./desk-events";
import { listedDrafts, problemDrafts } from "./drafts";

export type ShownError = { code: string; message: string };

/**
 * A status change refused because someone changed the claim's status since the reviewer saw it: their
 * status and name, and the one the reviewer chose, to reapply over theirs or drop.
 */
/** A status change refused: theirs, who set it and when (RFC 3339), and mine to reapply. */
export type StatusConflict = { claim: ClaimId; mine: ClaimStatus; theirs: ClaimStatus; by: string; at: string; message: string };

export class DeskSession {
  desk = $state<DeskView | null>(null);
  /** The drafts as listed (ignored files left out), sorted by path. */
  drafts = $state.raw<DraftSummary[]>([]);
  selectedId = $state<DraftId | null>(null);
  /** The draft in the reader; replaced as a whole when its file changes so the reader updates in place. */
  document = $state.raw<DraftDocument | null>(null);
  scan = $state<ScanProgress | null>(null);
  notices = $state.raw<Notice[]>([]);
  error = $state<ShownError | null>(null);
  /** True from start-up until we know whether a desk is open, so the first paint shows no wrong empty state. */
  starting = $state(true);
  opening = $state(false);

  /** The open draft's claims, placed on the version in `document`; fetched together with it. */
  claims = $state.raw<ClaimView[]>([]);
  selectedClaimId = $state<ClaimId | null>(null);
  /** What the editor has selected in the reader, ready to tag; null when nothing taggable is. */
  selectionQuote = $state.raw<TextQuoteSelector | null>(null);
  tagging = $state(false);
  /** Every claim of the desk that needs attention, refreshed on desk events and after claim changes. */
  attention = $state.raw<ClaimView[]>([]);
  /** The claim whose resolution is on its way, so its buttons can be disabled. */
  resolving = $state<ClaimId | null>(null);
  /** The last status change refused over someone else's, until reapplied or dropped. */
  statusConflict = $state.raw<StatusConflict | null>(null);

  readonly orderedClaims = $derived(orderClaims(this.claims));
  readonly claimCounts = $derived(countByStatus(this.claims));
  readonly attentionEntries = $derived(attentionEntries(this.attention, this.drafts));
  readonly selectedClaim = $derived(this.claims.find((claim) => claim.id === this.selectedClaimId) ?? null);

  readonly scanning = $derived(this.scan !== null && this.scan.seen < this.scan.total);
  readonly problems = $derived(problemDrafts(this.drafts));
  readonly problemCount = $derived(this.problems.length + this.notices.length + (this.desk?.notice ? 1 : 0));

  readonly #api: DeskApi;
  #unlisten: Unlisten[] = [];
  // Bumped on every selection, so a slow answer for a draft no longer selected is thrown away.
  #selection = 0;

  constructor(api: DeskApi) {
    this.#api = api;
  }

  /** Subscribes before asking for the desk, so no change between the two goes unseen. */
  async start(): Promise<void> {
    try {
      this.#unlisten.push(await this.#api.onDeskChanged((event) => void this.applyDeskEvent(event)));
      this.#unlisten.push(await this.#api.onScanProgressed((progress) => this.applyScanProgress(progress)));
      const desk = await this.#api.currentDesk();
      if (desk) {
        this.desk = desk;
        await Promise.all([this.refreshList(), this.refreshAttention()]);
      }
    } catch (error) {
      this.#show(error);
    } finally {
      this.starting = false;
    }
  }

  stop(): void {
    for (const unlisten of this.#unlisten.splice(0)) unlisten();
  }

  async chooseAndOpenFolder(): Promise<void> {
    try {
      const path = await this.#api.chooseFolder();
      if (path) await this.openDesk(path);
    } catch (error) {
      this.#show(error);
    }
  }

  async openDesk(path: string): Promise<void> {
    this.opening = true;
    try {
      const desk = await this.#api.openDesk(path);
      this.desk = desk;
      this.selectedId = null;
      this.document = null;
      this.#setClaims([]);
      this.notices = [];
      this.#selection += 1;
      // The scan is over once openDesk answers, whatever the last progress event said.
      this.scan = null;
      this.attention = [];
      await Promise.all([this.refreshList(), this.refreshAttention()]);
    } catch (error) {
      this.#show(error);
    } finally {
      this.opening = false;
    }
  }

  async select(draft: DraftId): Promise<void> {
    if (draft === this.selectedId && this.document?.draft.id === draft) return;
    this.selectedId = draft;
    await this.reloadDocument();
  }

  /** A missing draft's review was carried to the file it became: the list (the draft moved, that file's own new
   * draft set aside) and the draft, open at its new place with its claims. */
  async afterCarry(draft: DraftId): Promise<void> {
    invalidate("review", `draft:${draft}`);
    await this.refreshList();
    this.selectedId = draft;
    await Promise.all([this.reloadDocument(), this.refreshAttention()]);
  }

  readonly refreshList = coalesce(async () => {
    try {
      this.drafts = listedDrafts(await this.#api.listDrafts());
      invalidate("drafts");
    } catch (error) {
      this.#show(error);
    }
  });

  readonly refreshAttention = coalesce(async () => {
    if (!this.desk) return;
    try {
      this.attention = await this.#api.deskAttention();
    } catch (error) {
      this.#show(error);
    }
  });

  readonly reloadDocument = coalesce(async () => {
    const draft = this.selectedId;
    const selection = ++this.#selection;
    if (draft === null) {
      this.document = null;
      this.#setClaims([]);
      return;
    }
    // Text and claims are fetched together and shown together, so highlights never sit on text
    // of another version (the core re-anchors claims before it tells us the file changed).
    const [document, claims] = await Promise.allSettled([this.#api.getDraft(draft), this.#api.listClaims(draft)]);
    if (selection !== this.#selection) return;
    const sameDraft = this.document?.draft.id === draft;
    if (document.status === "fulfilled") {
      this.document = document.value;
      if (claims.status === "fulfilled") this.#setClaims(claims.value);
      else if (!sameDraft) this.#setClaims([]);
    } else if (!sameDraft) {
      // Keep the text on screen if it was this draft's: a failed refresh should not blank the reader.
      this.document = null;
      this.#setClaims([]);
    }
    if (!sameDraft) this.selectionQuote = null;
    if (document.status === "rejected") this.#show(document.reason);
    else if (claims.status === "rejected") this.#show(claims.reason);
  });

  /** Fetches the open draft's claims again: after a claim's sourcing changed, its attribution
   * comes from its linked sources (the core decides; the window only shows it). */
  readonly reloadClaims = coalesce(async () => {
    const draft = this.selectedId;
    if (draft === null) return;
    const selection = this.#selection;
    try {
      const claims = await this.#api.listClaims(draft);
      if (selection === this.#selection && this.selectedId === draft) this.#setClaims(claims);
    } catch (error) {
      this.#show(error);
    }
  });

  /** Tags the given quote (or the current selection) as a claim on the open draft, and selects it. */
  async tagClaim(quote: TextQuoteSelector | null = this.selectionQuote): Promise<ClaimView | null> {
    const draft = this.document?.draft.id;
    if (draft === undefined || !quote || this.tagging) return null;
    this.tagging = true;
    try {
      const claim = await this.#api.tagClaim(draft, quote);
      this.adoptClaim(claim);
      if (this.document?.draft.id === claim.draft) this.selectionQuote = null;
      return claim;
    } catch (error) {
      this.#show(error);
      return null;
    } finally {
      this.tagging = false;
    }
  }

  async setClaimStatus(status: ClaimStatus, claim: ClaimId | null = this.selectedClaimId): Promise<void> {
    if (claim === null) return;
    const current = this.claims.find((c) => c.id === claim);
    if (!current || current.status === status) return;
    try {
      // The version the reviewer saw: a status someone changed since is not overwritten. When it was, the claim
      // as it is now (theirs, with the version a reapply is made on) is shown with the choice.
      const result = await saveOnVersion(
        () => this.#api.setClaimStatus(claim, status, current.version),
        async () => (await this.#api.listClaims(current.draft)).find((c) => c.id === claim),
      );
      if (!result.saved) {
        const theirs = result.theirs;
        if (!theirs) {
          this.#show(goneSince("claim"));
          return;
        }
        this.#putClaim(theirs);
        this.statusConflict = {
          claim,
          mine: status,
          theirs: theirs.status,
          by: theirs.updated_by,
          at: theirs.updated_at,
          message: result.refusal.message,
        };
        return;
      }
      this.#putClaim(result.value);
      if (this.statusConflict?.claim === claim) this.statusConflict = null;
      void this.refreshAttention();
    } catch (error) {
      this.#show(error);
    }
  }

  /** Sets the refused status again, over theirs (on the version now seen). */
  async reapplyStatus(): Promise<void> {
    const conflict = this.statusConflict;
    if (!conflict) return;
    this.statusConflict = null;
    await this.setClaimStatus(conflict.mine, conflict.claim);
  }

  /** Drops the refused status: theirs stays. */
  keepTheirStatus(): void {
    this.statusConflict = null;
  }

  /** Settles a claim that needs attention: accept, choose a candidate, re-attach, or keep detached. */
  async resolveClaim(resolution: AnchorResolution, claim: ClaimId | null = this.selectedClaimId): Promise<ClaimView | null> {
    if (claim === null || this.resolving !== null) return null;
    this.resolving = claim;
    try {
      const view = await this.#api.resolveClaim(claim, resolution);
      this.#putClaim(view);
      if (resolution.action === "reattach") this.selectionQuote = null;
      void this.refreshAttention();
      return view;
    } catch (error) {
      this.#show(error);
      return null;
    } finally {
      this.resolving = null;
    }
  }

  /** Re-attaches the claim to what is selected in the reader; nothing happens without a selection. */
  async reattachToSelection(claim: ClaimId | null = this.selectedClaimId): Promise<ClaimView | null> {
    const quote = this.selectionQuote;
    if (!quote) return null;
    return this.resolveClaim({ action: "reattach", quote }, claim);
  }

  /** Opens the claim's draft and selects the claim (from the desk-wide "Needs attention" list). */
  async openClaim(claim: Pick<ClaimView, "id" | "draft">): Promise<void> {
    await this.select(claim.draft);
    if (this.document?.draft.id === claim.draft && this.claims.some((c) => c.id === claim.id)) this.selectedClaimId = claim.id;
  }

  /** Shows a claim made elsewhere (tagged, or accepted from a suggestion) and selects it. */
  adoptClaim(claim: ClaimView): void {
    void this.refreshAttention();
    if (this.document?.draft.id !== claim.draft) return;
    this.#putClaim(claim);
    this.selectedClaimId = claim.id;
  }

  /** Shows what went wrong in the error banner. */
  showError(error: unknown): void {
    this.#show(error);
  }

  selectClaim(claim: ClaimId | null): void {
    this.selectedClaimId = claim;
  }

  /** Moves the selection to the next (1) or previous (-1) claim in reading order. */
  stepClaim(step: 1 | -1): void {
    this.selectedClaimId = stepClaim(this.orderedClaims, this.selectedClaimId, step);
  }

  setSelectionQuote(quote: TextQuoteSelector | null): void {
    this.selectionQuote = quote;
  }

  #setClaims(claims: ClaimView[]): void {
    this.claims = claims;
    if (this.selectedClaimId !== null && !claims.some((claim) => claim.id === this.selectedClaimId)) this.selectedClaimId = null;
    this.#claimsChanged();
  }

  #putClaim(claim: ClaimView): void {
    const others = this.claims.filter((c) => c.id !== claim.id);
    if (this.document?.draft.id === claim.draft) {
      this.claims = [...others, claim];
      this.#claimsChanged();
    }
  }

  /** The open draft's claims (or its text) were read or changed: the views built on the draft read again. */
  #claimsChanged(): void {
    const draft = this.document?.draft.id;
    if (draft !== undefined) invalidate(`draft:${draft}`);
  }

  async applyDeskEvent(event: DeskEvent): Promise<void> {
    const refresh = refreshFor(event, this.document?.draft.id ?? this.selectedId);
    if (refresh.notice) this.notices = appendNotice(this.notices, refresh.notice);
    // Another process changed the review (the command line): every view built on it reads again.
    if (refresh.review) invalidate("review");
    await Promise.all([
      refresh.list ? this.refreshList() : undefined,
      refresh.document ? this.reloadDocument() : undefined,
      refresh.review && !refresh.document ? this.reloadClaims() : undefined,
      // Any change to a draft may re-anchor claims anywhere on the desk.
      this.refreshAttention(),
    ]);
  }

  applyScanProgress(progress: ScanProgress): void {
    this.scan = progress;
    // A scan the shell started on its own (a restart) has no openDesk call to wait for.
    if (progress.seen >= progress.total) {
      void this.refreshList();
      void this.refreshAttention();
    }
  }

  dismissError(): void {
    this.error = null;
  }

  clearNotices(): void {
    this.notices = [];
  }

  #show(error: unknown): void {
    const { code, message } = toIpcError(error);
    this.error = { code, message };
  }
}
