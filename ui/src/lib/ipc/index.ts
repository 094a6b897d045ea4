// The one door between the UI and the Rust shell. Everything outside this folder imports from
// `$lib/ipc` and never from `@tauri-apps/*`, so the generated bindings can change shape without
// touching a component, and tests can hand the UI a fake backend of type `DeskApi`.

import { open, save } from "@tauri-apps/plugin-dialog";
import { commands, events, type CommandError, type ErrorCode, type Result } from "./bindings";
import type {
  PublishedRecord,
  ClaimChange,
  AnchorResolution,
  ClaimStatus,
  ClaimView,
  DeskEvent,
  DeskView,
  DraftDocument,
  DraftSummary,
  DraftId,
  ScanProgress,
  TextQuoteSelector,
  VersionComparison,
  VersionSummary,
  DraftSuggestions,
  TextPositionSelector,
  ExportRequest,
  SavedReport,
  Confidential,
  Corroboration,
  DraftStatus,
  DraftStatusView,
  EditorNote,
  EvidenceView,
  Finding,
  NewEvidence,
  NewSource,
  NewSourceLinked,
  NoteTarget,
  NoteView,
  RemovedClaim,
  SourceLink,
  SourceRole,
  SourceUpdate,
  SourceView,
  SourcingMatrix,
  StatusChange,
  DraftOverview,
  SearchHit,
  SearchQuery,
  DeskDashboard,
  KeyringUnlock,
  VaultStatus,
  VaultAccess,
  StoreView,
  DraftRefusals,
  DeskPerson,
  ReviewCarry,
  AssignedWork,
  Assignment,
  AssignmentTarget,
  InboxEntry,
  ClaimId,
  DeskId,
  EvidenceId,
  InboxId,
  NoteId,
  SourceId,
  VersionId,
} from "./bindings";

/** Each sourcing rule's one name, generated from the core (`RuleId::label`): the reports print the same. */
export { RULE_LABELS } from "./bindings";
export type { HitKind, SearchHit, SearchQuery, Snippet, Span } from "./bindings";
export type { Blocker, DashboardRow, DeskDashboard, DeskTotals, WorkflowCount } from "./bindings";
export type { AssignedWork, Assignment, AssignmentTarget, InboxEntry, InboxKind } from "./bindings";

export type { StoreView } from "./bindings";
export type { DeskPerson, Role, VaultAccess, VaultHolder } from "./bindings";
export type { CarryHint, CarryTarget, DraftRefusals, ReviewCarry } from "./bindings";
export type { PublishedClaim, PublishedRecord, PublishedReview, ReviewChange } from "./bindings";

export type {
  ErrorCode,
  ClaimChange,
  ChangeKind,
  CommentState,
  DocumentComment,
  DocumentNote,
  DocumentMarks,
  LinkMark,
  TrackedChange,
  KeyringUnlock,
  VaultStatus,
  AnchorResolution,
  AnchorState,
  BlockKind,
  BlockView,
  Candidate,
  ClaimAnchor,
  ClaimId,
  ClaimStatus,
  ClaimView,
  DeskEvent,
  DeskView,
  DraftDocument,
  DraftFormat,
  DraftSummary,
  FileState,
  ScanProgress,
  TextQuoteSelector,
  WatchMode,
  ClaimMark,
  ComparedVersion,
  PlacementCounts,
  TextPositionSelector,
  VersionComparison,
  VersionSummary,
  Attribution,
  AttributionKind,
  AttributedTo,
  AttributionFrom,
  ClaimAttribution,
  ClaimCounts,
  ChangedSinceReady,
  DraftOverview,
  TextChange,
  TextChangeKind,
  DraftSuggestions,
  SourcingProfile,
  Suggestion,
  ExportFormat,
  ExportProfile,
  ExportRequest,
  ExportScope,
  SavedReport,
  Confidential,
  ConfidentialRecorded,
  Corroboration,
  DraftStatus,
  DraftStatusView,
  EditorNote,
  EditorNoteOrigin,
  EvidenceKind,
  EvidenceView,
  Finding,
  MatrixRow,
  NewEvidence,
  NewSource,
  NewSourceLinked,
  NoteEdit,
  NoteTarget,
  NoteView,
  OverrideRecord,
  RemovedClaim,
  RuleId,
  SourceKind,
  SourceLink,
  SourceRole,
  SourceUpdate,
  SourceView,
  SourcingMatrix,
  Stance,
  StatusChange,
  AssignmentId,
  DeskId,
  DraftId,
  EvidenceId,
  InboxId,
  NoteId,
  OverrideId,
  SourceId,
  VersionId,
} from "./bindings";

/** What a failed call says: the command's own code, or `ipc` when Tauri refused it (no such command, no capability). */
export type IpcErrorCode = ErrorCode | "ipc";

/** A failed command, carrying the `{code, message}` the Rust side sent so the UI can react to the code. */
export class IpcError extends Error {
  readonly code: IpcErrorCode;

  constructor(code: IpcErrorCode, message: string) {
    super(message);
    this.name = "IpcError";
    this.code = code;
  }
}

export type Unlisten = () => void;

/** Everything the UI asks of the backend; `ipc` is the real one, tests pass their own. */
export interface DeskApi {
  currentDesk(): Promise<DeskView | null>;
  openDesk(path: string): Promise<DeskView>;
  listDrafts(): Promise<DraftSummary[]>;
  getDraft(draft: DraftId): Promise<DraftDocument>;
  /** Tags the selected text (with its context) as a claim; the core finds where it is. */
  tagClaim(draft: DraftId, quote: TextQuoteSelector): Promise<ClaimView>;
  /** The draft's claims, placed on its current version. */
  listClaims(draft: DraftId): Promise<ClaimView[]>;
  /** Refused with code `conflict` when the status moved since `version` (the one the reviewer saw). */
  setClaimStatus(claim: ClaimId, status: ClaimStatus, version: number): Promise<ClaimView>;
  /** Settles a claim that needs attention: accept, choose a candidate, re-attach, or keep detached. */
  resolveClaim(claim: ClaimId, resolution: AnchorResolution): Promise<ClaimView>;
  /** Every claim of the open desk that needs attention (each with its draft id). */
  deskAttention(): Promise<ClaimView[]>;
  onDeskChanged(handler: (event: DeskEvent) => void): Promise<Unlisten>;
  onScanProgressed(handler: (progress: ScanProgress) => void): Promise<Unlisten>;
  /** Asks the user for a folder; null when the dialog was cancelled. */
  chooseFolder(): Promise<string | null>;
}

/** A draft's history: its versions, and any two compared word by word with their claims. */
export interface HistoryApi {
  draftHistory(draft: DraftId): Promise<VersionSummary[]>;
  compareVersions(draft: DraftId, from: VersionId, to: VersionId): Promise<VersionComparison>;
}

/** The claims worth checking the engine proposes on a draft, and what the reviewer does with them. */
export interface SuggestionApi {
  draftSuggestions(draft: DraftId): Promise<DraftSuggestions>;
  /** Tags the suggestion the core gave at `span` as a claim, its attribution pre-filled. */
  acceptSuggestion(draft: DraftId, span: TextPositionSelector): Promise<ClaimView>;
  /** Hides the suggestion at `span` until its sentence changes; returns what is offered now. */
  dismissSuggestion(draft: DraftId, span: TextPositionSelector): Promise<DraftSuggestions>;
}

/** Undo of a suggestion's dismissal (kept apart from SuggestionApi so existing fakes of it stay whole). */
export interface SuggestionUndoApi {
  /** Offers the dismissed suggestion with this quote again; returns what is offered now. */
  restoreSuggestion(draft: DraftId, sentence: string): Promise<DraftSuggestions>;
}

/** The reviewer's own settings. */
export interface SettingsApi {
  /** The name recorded on the reviewer's changes (the OS user name until one is saved). */
  reviewerName(): Promise<string>;
  /** Saves the name; returns it as saved (trimmed). Empty or odd names are refused. */
  setReviewerName(name: string): Promise<string>;
  /** Whether a name was saved in Factdesk (the window asks for one on first start). */
  reviewerIsSet?(): Promise<boolean>;
}

/** Which store the window works on (Settings → Team store…): this computer's file or a team store. */
export interface TeamStoreApi {
  storeInUse(): Promise<StoreView>;
  /**
   * Connects to the team store at `url` (postgres://USER@HOST:PORT/DATABASE, no password in it) and works on it from
   * now on; the password, when typed, stays in the app's memory. Refused with the reason, the previous store in use.
   */
  connectTeamStore(url: string, password: string | null): Promise<StoreView>;
  useThisComputersFile(): Promise<StoreView>;
}

/** The open desk's vault: confidential source fields encrypted at rest, unlocked with a passphrase. */
export interface VaultApi {
  vaultStatus(): Promise<VaultStatus>;
  /**
   * A wrong passphrase, or too many of them (the message says when to try again), fails with `wrong_passphrase` and changes nothing.
   * With `remember`, this computer keeps the desk in the OS keyring (fails with `keyring` when there is none).
   */
  unlockVault(passphrase: string, remember: boolean): Promise<VaultStatus>;
  /** Unlocks from the OS keyring when this computer remembers the desk; otherwise says why not. */
  unlockVaultFromKeyring?(): Promise<KeyringUnlock>;
  /** Stops remembering the desk on this computer. */
  forgetVault?(): Promise<VaultStatus>;
  lockVault(): Promise<VaultStatus>;
  /** Sets the vault up (the passphrase typed twice); returns the recovery key, shown once. */
  setUpVault(passphrase: string, again: string): Promise<string>;
  setVaultIdleMinutes(minutes: number): Promise<VaultStatus>;
  /** The vault locked itself (unused for its idle time). */
  onVaultLocked(handler: (desk: DeskId) => void): Promise<Unlisten>;
  /**
   * On a desk with people: who holds the desk key and whom it may be given to; null when the reviewer has
   * nothing to manage (no vault, no people, or a role that may neither give nor take back access).
   */
  vaultAccess?(): Promise<VaultAccess | null>;
  /**
   * Give access: wraps the desk key for `person` under their new passphrase, typed twice. Needs the vault
   * unlocked (`vault_locked`); a person whose role may not hold it is refused, the message naming the role.
   */
  grantVault?(person: string, passphrase: string, again: string): Promise<VaultAccess | null>;
  /** Take access back (an admin, or a holder with the vault unlocked: `vault_locked` otherwise). */
  revokeVault?(person: string): Promise<VaultAccess | null>;
  /** Writes an encrypted backup (age, to the passphrase) of the whole database to `path`. */
  backUpDatabase(path: string, passphrase: string): Promise<SavedReport>;
  /** Asks where to save the backup; null when cancelled. */
  chooseBackupPath(defaultName: string): Promise<string | null>;
}

/** Review reports of the open draft or desk: made by the core, previewed, saved where the reviewer chooses. */
export interface ExportApi {
  /** The report as text (HTML for the preview, or a text format); PDF is refused: it is binary. */
  renderReport(request: ExportRequest): Promise<string>;
  /** Writes the report to `path` (absolute, in a folder that exists); PDF through WeasyPrint. */
  saveReport(request: ExportRequest, path: string): Promise<SavedReport>;
  /** Asks the user where to save; null when the dialog was cancelled. */
  chooseSavePath(defaultName: string, filter: { name: string; extension: string }): Promise<string | null>;
}

/** How claims are sourced: the desk's sources, links, evidence, notes, the editor's note, the draft's workflow and rules. */
export interface SourcingApi {
  /** The open desk's sources: confidential fields only as "recorded or not", never their content. */
  listSources(): Promise<SourceView[]>;
  addSource(source: NewSource): Promise<SourceView>;
  /**
   * Saves the public fields and, when given, the confidential ones (`null` leaves a field, blank clears it)
   * in one step, on the source's `version` the reviewer saw: `conflict` when someone changed it since (the
   * message names the fields, never their content), `vault_locked` when the vault must be unlocked first.
   */
  updateSource(source: SourceId, update: SourceUpdate, confidential: Confidential | null, version: number): Promise<SourceView>;
  /** `null` leaves a field as it is, a blank text clears it; on the `version` seen, as `updateSource`. */
  setSourceConfidential(source: SourceId, fields: Confidential, version: number): Promise<SourceView>;
  /** Reads the confidential fields; the core records who looked, and when. Only on an explicit request. */
  revealSource(source: SourceId): Promise<Confidential>;
  /** Links (or re-roles) a source on a claim; returns the claim's sources. */
  linkSource(claim: ClaimId, source: SourceId, role: SourceRole): Promise<SourceLink[]>;
  unlinkSource(claim: ClaimId, source: SourceId): Promise<SourceLink[]>;
  claimSources(claim: ClaimId): Promise<SourceLink[]>;
  /** Returns the claim's evidence. */
  addEvidence(claim: ClaimId, evidence: NewEvidence): Promise<EvidenceView[]>;
  listEvidence(claim: ClaimId): Promise<EvidenceView[]>;
  claimCorroboration(claim: ClaimId): Promise<Corroboration>;
  claimOpinion(claim: ClaimId): Promise<boolean>;
  setOpinion(claim: ClaimId, opinion: boolean): Promise<boolean>;
  claimPersonalAttack(claim: ClaimId): Promise<boolean>;
  /** Anonymity is not granted for an attack on a person either. */
  setPersonalAttack(claim: ClaimId, attack: boolean): Promise<boolean>;
  listNotes(target: NoteTarget): Promise<NoteView[]>;
  /** Returns the target's notes. */
  /** A private note is read by editors, standards editors and the lawyer only: never in a desk-profile report. */
  addNote(target: NoteTarget, text: string, replyTo: NoteId | null, isPrivate?: boolean): Promise<NoteView[]>;
  editNote(note: NoteId, text: string, version: number): Promise<NoteView>;
  resolveNote(note: NoteId): Promise<NoteView>;
  reopenNote(note: NoteId): Promise<NoteView>;
  editorNote(draft: DraftId): Promise<EditorNote>;
  /** Refused with code `conflict` when someone saved another since `version` (0: none saved yet). */
  saveEditorNote(draft: DraftId, text: string, version: number): Promise<EditorNote>;
  /** A proposal drafted from the review; nothing is saved. */
  proposeEditorNote(draft: DraftId): Promise<string>;
  draftStatus(draft: DraftId): Promise<DraftStatusView>;
  /** A published draft's review as it stood when published and what changed since; null before publication. */
  publishedRecord(draft: DraftId): Promise<PublishedRecord | null>;
  /** Moving to ready with open findings fails with code `rules_fail` unless a reason overrides them. */
  setDraftStatus(draft: DraftId, status: DraftStatus, overrideReason: string | null): Promise<StatusChange>;
  checkDraft(draft: DraftId): Promise<Finding[]>;
  /**
   * What the reviewer's role may not do on the draft (move it, override a finding, its editor's note, notes, a
   * private note), each as the core's refusal naming the role it needs; null where allowed. Optional: a backend
   * without it refuses nothing up front (the core still refuses the action itself).
   */
  draftRefusals?(draft: DraftId): Promise<DraftRefusals>;
  sourcingMatrix(draft: DraftId): Promise<SourcingMatrix>;
  /** What happened to a claim (tagged, status, links, opinion), oldest first, as the core's sentences. */
  claimHistory(claim: ClaimId): Promise<ClaimChange[]>;

  // Removal, restore and "Move claim here": every removal is kept in the audit trail and has its
  // inverse, so the window can undo the last review actions.
  /** Re-places a claim on the selected text (the core locates it); id, status, sources, notes stay. Undo: move back. */
  moveClaim(claim: ClaimId, quote: TextQuoteSelector): Promise<ClaimView>;
  /** Removes a claim (links, evidence, notes go and come back with it); returns it as it was. Undo: restoreClaim. */
  removeClaim(claim: ClaimId): Promise<ClaimView>;
  restoreClaim(claim: ClaimId): Promise<ClaimView>;
  /** Undo of resolveClaim: the claim is placed by re-anchoring again (and needs attention again). */
  unresolveClaim(claim: ClaimId): Promise<ClaimView>;
  /** The claims removed from a draft, most recent first. */
  removedClaims(draft: DraftId): Promise<RemovedClaim[]>;
  /** Undo of unlinkSource: the link comes back with its role and who linked it. */
  restoreSourceLink(claim: ClaimId, source: SourceId): Promise<SourceLink[]>;
  /**
   * Creates a source (with the confidential fields of a new unnamed one) and links it, in one step; returns the new
   * source's id and the claim's sources. Undo: removeSource(that id, true).
   */
  linkNewSource(claim: ClaimId, source: NewSource, role: SourceRole): Promise<NewSourceLinked>;
  /** Fails with code `source_in_use` (naming the claims) while a claim cites it, unless `withLinks`. Returns the register. */
  removeSource(source: SourceId, withLinks: boolean): Promise<SourceView[]>;
  /** Brings a source back with the links removed along with it. */
  restoreSource(source: SourceId): Promise<SourceView>;
  /** Returns the claim's evidence. Undo: restoreEvidence. */
  removeEvidence(evidence: EvidenceId): Promise<EvidenceView[]>;
  restoreEvidence(evidence: EvidenceId): Promise<EvidenceView[]>;
  /** A thread's first note takes its replies with it. Returns the target's notes. Undo: restoreNote. */
  removeNote(note: NoteId): Promise<NoteView[]>;
  restoreNote(note: NoteId): Promise<NoteView[]>;
  /** Every draft of the open desk: workflow status, changed since ready (with the reason), claims by status. */
  deskOverview(): Promise<DraftOverview[]>;
  /** The desk's setting: a ready draft whose text changes goes back to needs work (on by default). */
  reopensWhenChanged(): Promise<boolean>;
  setReopensWhenChanged(on: boolean): Promise<boolean>;
}

/** A missing draft's review carried to the file it became (`factdesk draft move` in the window). */
export interface CarryApi {
  /**
   * The files the missing draft's review may go to (the likely one first), or the line saying who may carry it;
   * null when the draft is not missing or holds no review.
   */
  reviewCarry(draft: DraftId): Promise<ReviewCarry | null>;
  /** Carries the review of the missing draft at `from` to the file at `to` (paths relative to the desk); returns the draft, now at `to`. */
  carryReview(from: string, to: string): Promise<DraftId>;
}

/** The desk's full-text search: drafts' text, claims, notes, evidence, source descriptors (never a confidential field). */
export interface SearchApi {
  /** The best hits first, each with a snippet whose matches are code-point offsets. */
  search(query: SearchQuery): Promise<SearchHit[]>;
}

/** Assignments of claims and drafts to people, and the reviewer's inbox (assignments and @mentions). */
export interface AssignmentApi {
  /** Assigns (or hands over) a claim or a draft; `due` is YYYY-MM-DD. The core refuses a bad name or date. */
  assign(target: AssignmentTarget, to: string, due: string | null): Promise<Assignment>;
  unassign(target: AssignmentTarget): Promise<null>;
  assignmentOf(target: AssignmentTarget): Promise<Assignment | null>;
  /** What is assigned to the reviewer on the open desk, the soonest due first, overdue ones marked. */
  assignedToMe(): Promise<AssignedWork[]>;
  /** The reviewer's inbox on the open desk, newest first. */
  inbox(): Promise<InboxEntry[]>;
  markInboxRead(entry: InboxId): Promise<null>;
  /**
   * The open desk's people with their roles, by name; empty on a desk without people (any name may be assigned
   * there). Optional: a backend without it offers no list (the core still refuses a name not on the desk).
   */
  deskPeople?(): Promise<DeskPerson[]>;
}

/** The desk at a glance: every draft's status, claims, unnamed share and blockers; totals and charts. */
export interface DashboardApi {
  deskDashboard(): Promise<DeskDashboard>;
  /** Writes the rows of `drafts`, in that order, as CSV to `path` (absolute, from the save dialog). */
  saveDashboardCsv(drafts: DraftId[], path: string): Promise<SavedReport>;
  /** Asks the user where to save; null when the dialog was cancelled. */
  chooseSavePath(defaultName: string, filter: { name: string; extension: string }): Promise<string | null>;
}

export function unwrap<T>(result: Result<T, CommandError>): T {
  if (result.status === "ok") return result.data;
  throw toIpcError(result.error);
}

/**
 * Turns whatever a rejected call carried into an IpcError. Our commands send `{code, message}`,
 * but Tauri itself rejects with plain strings (an unknown command, a refused capability).
 */
export function toIpcError(error: unknown): IpcError {
  if (error instanceof IpcError) return error;
  if (isCommandError(error)) return new IpcError(error.code, error.message);
  if (error instanceof Error) return new IpcError("ipc", error.message);
  return new IpcError("ipc", typeof error === "string" ? error : JSON.stringify(error));
}

function isCommandError(value: unknown): value is CommandError {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as CommandError).code === "string" &&
    typeof (value as CommandError).message === "string"
  );
}

// The generated commands rethrow JS Errors (e.g. the IPC bridge missing) instead of returning them.
async function call<T>(command: () => Promise<Result<T, CommandError>>): Promise<T> {
  let result: Result<T, CommandError>;
  try {
    result = await command();
  } catch (error) {
    throw toIpcError(error);
  }
  return unwrap(result);
}

type Commands = typeof commands;

/** Every generated command, unwrapped: it resolves with the command's data or rejects with an IpcError. */
export type CommandClient = {
  [Name in keyof Commands]: Commands[Name] extends (...args: infer Args) => Promise<Result<infer Data, CommandError>>
    ? (...args: Args) => Promise<Data>
    : never;
};

type AnyCommand = (...args: unknown[]) => Promise<Result<unknown, CommandError>>;

// Built from the generated `commands`, so a command added to src-tauri/command_list.rs reaches the UI with no
// line here; the interfaces above say which part of it each component needs.
function commandClient(): CommandClient {
  const client: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const [name, command] of Object.entries(commands) as [string, AnyCommand][]) {
    client[name] = (...args) => call(() => command(...args));
  }
  return client as CommandClient;
}

export const ipc: DeskApi & TeamStoreApi & HistoryApi & SuggestionApi & SuggestionUndoApi & SettingsApi & ExportApi & SourcingApi & SearchApi & DashboardApi & VaultApi & AssignmentApi & CarryApi & CommandClient = {
  ...commandClient(),
  // The one command whose last argument the UI may leave out.
  addNote: (target, text, replyTo, isPrivate = false) => call(() => commands.addNote(target, text, replyTo, isPrivate)),

  async onDeskChanged(handler) {
    return events.deskChanged.listen((event) => handler(event.payload));
  },

  async onScanProgressed(handler) {
    return events.scanProgressed.listen((event) => handler(event.payload));
  },

  async onVaultLocked(handler) {
    return events.vaultLocked.listen((event) => handler(event.payload));
  },

  async chooseBackupPath(defaultName) {
    return save({ title: "Back up the review database (encrypted)", defaultPath: defaultName, filters: [{ name: "age encrypted backup", extensions: ["age"] }] });
  },

  async chooseFolder() {
    const chosen = await open({ directory: true, multiple: false, title: "Open a folder of drafts" });
    // The dialog's return type allows a list; with `multiple: false` it is one path or null.
    if (Array.isArray(chosen)) return chosen[0] ?? null;
    return chosen;
  },

  async chooseSavePath(defaultName, filter) {
    return save({ title: "Save as", defaultPath: defaultName, filters: [{ name: filter.name, extensions: [filter.extension] }] });
  },
};

export const {
  currentDesk,
  openDesk,
  listDrafts,
  getDraft,
  tagClaim,
  listClaims,
  setClaimStatus,
  resolveClaim,
  deskAttention,
  draftHistory,
  compareVersions,
  draftSuggestions,
  acceptSuggestion,
  dismissSuggestion,
  reviewerName,
  setReviewerName,
  onDeskChanged,
  onScanProgressed,
  chooseFolder,
  renderReport,
  saveReport,
  chooseSavePath,
} = ipc;
