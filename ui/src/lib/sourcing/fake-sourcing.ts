// An in-memory SourcingApi for component tests: enough of the core's behaviour to drive the
// panels (links, evidence, counts, notes, editor's note, workflow, findings, removal and restore),
// and a log of calls. Removal is soft, as in the core: removed things are kept aside with what they
// were removed along with, so restore brings back exactly those.

import type {
  AttributedTo,
  ClaimAttribution,
  PublishedRecord,
  ClaimChange,
  ClaimView,
  Confidential,
  Corroboration,
  DraftRefusals,
  DraftStatus,
  DraftOverview,
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
  SourcingApi,
  SourcingMatrix,
  StatusChange,
  TextQuoteSelector,
  ClaimId,
  DraftId,
  EvidenceId,
  NoteId,
  SourceId,
} from "$lib/ipc";
import { deskId, draftId, evidenceId, noteId, overrideId, sourceId } from "$lib/testing/ids";

/** An entry of the core's audit trail as this fake keeps it (the window only ever sees the core's sentences). */
type AuditEntry = { seq: number; at: string; actor: string; action: string; entity: string; before: string | null; after: string | null };

/** What a failed command carries (`{code, message}`); the fake imports nothing from $lib/ipc at run time, so tests can mock it. */
const failure = (code: string, message: string) => Object.assign(new Error(message), { code });

const AT = "2026-11-29T09:00:00Z";

export class FakeSourcing implements SourcingApi {
  calls: string[] = [];
  sources: SourceView[] = [];
  secrets = new Map<number, Confidential>();
  links: SourceLink[] = [];
  evidence: EvidenceView[] = [];
  opinions = new Set<number>();
  attacks = new Set<number>();
  notes: NoteView[] = [];
  note: EditorNote = { draft: draftId(1), text: "Editor's Note: Sources have not been named.", origin: "from-draft", saved_by: null, saved_at: null, version: 0 };
  status: DraftStatusView = { draft: draftId(1), status: "in-review", changed_by: null, changed_at: null, changed_since_ready: null };
  findings: Finding[] = [];
  /** Claims the removal commands act on (tests seed them; the claims list itself is the DeskApi's). */
  claims: ClaimView[] = [];
  removed = {
    claims: [] as { claim: ClaimView; at: string }[],
    evidence: [] as EvidenceView[],
    /** `with` names what a link was removed along with (`source:N`), null when unlinked on its own. */
    links: [] as { link: SourceLink; with: string | null }[],
    sources: [] as SourceView[],
    /** `with` names the thread a reply was removed with (`note:N`). */
    notes: [] as { note: NoteView; with: string | null }[],
  };
  private next = 100;

  private view(new_: NewSource, id: SourceId): SourceView {
    const c = new_.confidential;
    return {
      id,
      desk: deskId(1),
      descriptor: new_.descriptor.trim(),
      kind: new_.kind,
      notes: new_.notes,
      confidential: {
        identity: !!c?.identity,
        contact: !!c?.contact,
        first_hand: c?.first_hand != null,
        how_known: !!c?.how_known,
        anonymity_reason: !!c?.anonymity_reason,
        editor_knows: !!c?.editor_knows,
        approved_by: !!c?.approved_by,
      },
      created_by: "Amina",
      created_at: AT,
      updated_by: "Amina",
      updated_at: AT,
      version: 1,
    };
  }

  addSourceNow(source: NewSource): SourceView {
    const view = this.view(source, sourceId(this.next++));
    this.sources.push(view);
    if (source.confidential) this.secrets.set(view.id, source.confidential);
    return view;
  }

  private log(claim: ClaimId, action: string, before: object | null, after: object | null) {
    this.logOn(`claim:${claim}`, action, before, after);
  }

  private logOn(entity: string, action: string, before: object | null, after: object | null) {
    const seq = this.history.length + 1;
    this.history.push({ seq, at: AT, actor: "Amina", action, entity, before: before && JSON.stringify(before), after: after && JSON.stringify(after) });
  }

  async listSources() {
    this.calls.push("listSources");
    return [...this.sources];
  }
  async addSource(source: NewSource) {
    this.calls.push(`addSource ${source.descriptor} ${source.kind}`);
    if (!source.descriptor.trim()) throw failure("invalid_input", "the source's descriptor must not be empty");
    return this.addSourceNow(source);
  }
  async updateSource(id: SourceId, update: SourceUpdate, confidential: Confidential | null, version: number) {
    this.calls.push(`updateSource ${id}${confidential ? " with confidential" : ""}`);
    const s = this.sources.find((x) => x.id === id)!;
    if (s.version !== version) throw failure("conflict", `source ${id} was changed since you saw it (it is now "${s.descriptor}")`);
    s.version += 1;
    Object.assign(s, {
      descriptor: update.descriptor ?? s.descriptor,
      kind: update.kind ?? s.kind,
      notes: update.notes ?? s.notes,
    });
    if (confidential) this.mergeConfidential(s, confidential);
    return { ...s };
  }
  async setSourceConfidential(id: SourceId, fields: Confidential, version: number) {
    this.calls.push(`setSourceConfidential ${id}`);
    const s = this.sources.find((x) => x.id === id)!;
    if (s.version !== version) throw failure("conflict", `source ${id} was changed since you saw it (it is now "${s.descriptor}")`);
    this.mergeConfidential(s, fields);
    return { ...s };
  }
  /** As the core: `null` leaves a field, blank clears it; a change raises the version. */
  private mergeConfidential(s: SourceView, fields: Confidential) {
    const before = this.secrets.get(s.id) ?? ({} as Confidential);
    const merged = { ...before } as Record<string, unknown>;
    for (const [k, v] of Object.entries(fields)) if (v !== null) merged[k] = v === "" ? null : v;
    this.secrets.set(s.id, merged as Confidential);
    s.confidential = this.view({ descriptor: s.descriptor, kind: s.kind, notes: "", confidential: merged as Confidential }, s.id).confidential;
    s.version += 1;
  }
  async revealSource(id: SourceId) {
    this.calls.push(`revealSource ${id}`);
    return { identity: null, contact: null, first_hand: null, how_known: null, anonymity_reason: null, editor_knows: null, approved_by: null, ...this.secrets.get(id) };
  }
  async linkSource(claim: ClaimId, source: SourceId, role: SourceRole) {
    this.calls.push(`linkSource ${claim} ${source} ${role}`);
    this.links = this.links.filter((l) => !(l.claim === claim && l.source.id === source));
    this.links.push({ claim, source: this.sources.find((s) => s.id === source)!, role, linked_by: "Amina", linked_at: AT });
    this.log(claim, "claim.link", null, { source, role });
    return this.claimSources(claim);
  }
  async unlinkSource(claim: ClaimId, source: SourceId) {
    this.calls.push(`unlinkSource ${claim} ${source}`);
    const link = this.links.find((l) => l.claim === claim && l.source.id === source);
    if (!link) throw failure("invalid_input", `source ${source} is not linked to claim ${claim}`);
    this.log(claim, "claim.unlink", { source, role: link.role }, null);
    this.links = this.links.filter((l) => l !== link);
    this.removed.links.push({ link, with: null });
    return this.claimSources(claim);
  }
  async claimSources(claim: ClaimId) {
    return this.links.filter((l) => l.claim === claim);
  }
  async addEvidence(claim: ClaimId, e: NewEvidence) {
    this.calls.push(`addEvidence ${claim} ${e.kind} ${e.independent}`);
    this.evidence.push({ ...e, id: evidenceId(this.next++), claim, added_by: "Amina", added_at: AT });
    return this.listEvidence(claim);
  }
  async moveClaim(claim: ClaimId, quote: TextQuoteSelector) {
    this.calls.push(`moveClaim ${claim} ${quote.exact}`);
    const c = this.liveClaim(claim);
    this.log(claim, "claim.move", { quote: c.quote }, { quote: quote.exact });
    Object.assign(c, { quote: quote.exact, original_quote: quote.exact, anchor: { state: "anchored", confidence: 1, candidates: [] }, needs_attention: false });
    return { ...c };
  }
  async unresolveClaim(claim: ClaimId) {
    this.calls.push(`unresolveClaim ${claim}`);
    const c = this.liveClaim(claim);
    this.log(claim, "claim.unplace", { state: c.anchor.state }, null);
    c.needs_attention = true;
    return { ...c };
  }
  async removeClaim(claim: ClaimId) {
    this.calls.push(`removeClaim ${claim}`);
    const c = this.liveClaim(claim);
    this.claims = this.claims.filter((x) => x !== c);
    this.removed.claims.unshift({ claim: c, at: AT });
    this.log(claim, "claim.remove", { quote: c.quote, status: c.status }, null);
    return { ...c };
  }
  async restoreClaim(claim: ClaimId) {
    this.calls.push(`restoreClaim ${claim}`);
    const found = this.removed.claims.find((r) => r.claim.id === claim);
    if (!found) throw failure("invalid_input", `claim ${claim} is not removed: there is nothing to restore`);
    this.removed.claims = this.removed.claims.filter((r) => r !== found);
    this.claims.push(found.claim);
    this.log(claim, "claim.restore", null, { quote: found.claim.quote });
    return { ...found.claim };
  }
  async removedClaims(draft: DraftId): Promise<RemovedClaim[]> {
    return this.removed.claims
      .filter((r) => r.claim.draft === draft)
      .map((r) => ({ id: r.claim.id, draft, status: r.claim.status, quote: r.claim.original_quote, removed_by: "Amina", removed_at: r.at }));
  }
  async restoreSourceLink(claim: ClaimId, source: SourceId) {
    this.calls.push(`restoreSourceLink ${claim} ${source}`);
    const found = this.removed.links.find((r) => r.link.claim === claim && r.link.source.id === source);
    if (!found) throw failure("invalid_input", `the link of source ${source} to claim ${claim} is not removed`);
    if (found.with) throw failure("invalid_input", `the link was removed with ${found.with}: restore that instead`);
    this.removed.links = this.removed.links.filter((r) => r !== found);
    this.links.push(found.link);
    this.log(claim, "claim.link-restore", null, { source, role: found.link.role });
    return this.claimSources(claim);
  }
  async linkNewSource(claim: ClaimId, source: NewSource, role: SourceRole) {
    this.calls.push(`linkNewSource ${claim} ${source.descriptor} ${source.kind} ${role}`);
    if (!source.descriptor.trim()) throw failure("invalid_input", "the source's descriptor must not be empty");
    const hasSecrets = !!source.confidential && Object.values(source.confidential).some((v) => v !== null && v !== "");
    if (hasSecrets && source.kind !== "unnamed") throw failure("invalid_input", `only an unnamed source has confidential fields; source kind is ${source.kind}`);
    const view = this.addSourceNow(source);
    return { source: view.id, links: await this.linkSource(claim, view.id, role) } satisfies NewSourceLinked;
  }
  async removeSource(source: SourceId, withLinks: boolean) {
    this.calls.push(`removeSource ${source} ${withLinks}`);
    const s = this.sources.find((x) => x.id === source);
    if (!s) throw failure("not_found", `no source ${source}`);
    const links = this.links.filter((l) => l.source.id === source);
    if (links.length > 0 && !withLinks) {
      const claims = links.map((l) => l.claim).join(", ");
      throw failure("source_in_use", `source ${source} is used by claim${links.length === 1 ? "" : "s"} ${claims}; unlink it from them first, or remove the source with its links`);
    }
    this.links = this.links.filter((l) => l.source.id !== source);
    for (const link of links) this.removed.links.push({ link, with: `source:${source}` });
    this.sources = this.sources.filter((x) => x !== s);
    this.removed.sources.push(s);
    this.logOn(`source:${source}`, "source.remove", { descriptor: s.descriptor, kind: s.kind, links: links.map((l) => ({ claim: l.claim, role: l.role })) }, null);
    return this.listSources();
  }
  async restoreSource(source: SourceId) {
    this.calls.push(`restoreSource ${source}`);
    const s = this.removed.sources.find((x) => x.id === source);
    if (!s) throw failure("invalid_input", `source ${source} is not removed: there is nothing to restore`);
    this.removed.sources = this.removed.sources.filter((x) => x !== s);
    this.sources.push(s);
    const back = this.removed.links.filter((r) => r.with === `source:${source}`);
    this.removed.links = this.removed.links.filter((r) => !back.includes(r));
    this.links.push(...back.map((r) => r.link));
    this.logOn(`source:${source}`, "source.restore", null, { descriptor: s.descriptor, kind: s.kind, links: back.map((r) => ({ claim: r.link.claim, role: r.link.role })) });
    return { ...s };
  }
  async removeEvidence(evidence: EvidenceId) {
    this.calls.push(`removeEvidence ${evidence}`);
    const e = this.evidence.find((x) => x.id === evidence);
    if (!e) throw failure("not_found", `no evidence ${evidence}`);
    this.evidence = this.evidence.filter((x) => x !== e);
    this.removed.evidence.push(e);
    return this.listEvidence(e.claim);
  }
  async restoreEvidence(evidence: EvidenceId) {
    this.calls.push(`restoreEvidence ${evidence}`);
    const e = this.removed.evidence.find((x) => x.id === evidence);
    if (!e) throw failure("invalid_input", `evidence ${evidence} is not removed: there is nothing to restore`);
    this.removed.evidence = this.removed.evidence.filter((x) => x !== e);
    this.evidence.push(e);
    this.evidence.sort((a, b) => a.id - b.id);
    return this.listEvidence(e.claim);
  }
  async removeNote(note: NoteId) {
    this.calls.push(`removeNote ${note}`);
    const n = this.notes.find((x) => x.id === note);
    if (!n) throw failure("not_found", `no note ${note}`);
    const replies = n.reply_to === null ? this.notes.filter((x) => x.reply_to === note) : [];
    this.notes = this.notes.filter((x) => x !== n && !replies.includes(x));
    this.removed.notes.push({ note: n, with: null }, ...replies.map((r) => ({ note: r, with: `note:${note}` })));
    return this.listNotes(n.target);
  }
  async restoreNote(note: NoteId) {
    this.calls.push(`restoreNote ${note}`);
    const found = this.removed.notes.find((r) => r.note.id === note);
    if (!found) throw failure("invalid_input", `note ${note} is not removed: there is nothing to restore`);
    if (found.with) throw failure("invalid_input", `note ${note} was removed with its thread: restore ${found.with.replace(":", " ")} instead`);
    const back = [found, ...this.removed.notes.filter((r) => r.with === `note:${note}`)];
    this.removed.notes = this.removed.notes.filter((r) => !back.includes(r));
    this.notes.push(...back.map((r) => r.note));
    this.notes.sort((a, b) => (a.reply_to ?? a.id) - (b.reply_to ?? b.id) || a.id - b.id);
    return this.listNotes(found.note.target);
  }
  private liveClaim(claim: ClaimId): ClaimView {
    const c = this.claims.find((x) => x.id === claim);
    if (!c) throw failure("not_found", `no claim ${claim}`);
    return c;
  }
  async listEvidence(claim: ClaimId) {
    return this.evidence.filter((e) => e.claim === claim);
  }
  /** How the claim's wording attributes it, as the core read it (tests seed it as the `ClaimView`'s attribution). */
  private wordingOf(claim: ClaimId): ClaimAttribution | null {
    const attribution = this.claims.find((c) => c.id === claim)?.attribution;
    return attribution?.from === "wording" ? attribution : null;
  }
  /** The core's attribution (attribution.rs): the attributed sources when there are any, else the wording. */
  private attributionOf(claim: ClaimId): ClaimAttribution {
    const wording = this.wordingOf(claim);
    const kinds = this.links.filter((l) => l.claim === claim && l.role === "attributed").map((l) => l.source.kind);
    if (kinds.length === 0) return wording ?? { kind: "none", from: "wording", cue: null };
    const onRecord = kinds.find((k) => k !== "unnamed");
    const kind: AttributedTo = onRecord === undefined ? "unnamed" : onRecord === "named-person" ? "named" : onRecord;
    return { kind, from: "sources", cue: wording?.cue ?? null };
  }
  async claimCorroboration(claim: ClaimId): Promise<Corroboration> {
    const links = this.links.filter((l) => l.claim === claim);
    const attributed = links.filter((l) => l.role === "attributed");
    const evidence = this.evidence.filter((e) => e.claim === claim);
    const independent = links.filter((l) => l.role === "corroborates").length + evidence.filter((e) => e.independent && e.stance === "supports").length;
    // The core's rule (sourcing/corroboration.rs), mirrored for the fake backend only: an unnamed
    // source never vouches for itself; a named one or a document counts as the first of two.
    const onlyUnnamed = attributed.length > 0 && attributed.every((l) => l.source.kind === "unnamed");
    const needed = Math.max(0, 2 - Math.min(attributed.filter((l) => l.source.kind !== "unnamed").length, 2));
    // The rule asks something only of a claim attributed only to unnamed sources.
    const rule = !onlyUnnamed ? "does-not-apply" : independent >= needed ? "met" : "not-met";
    const has = `${independent} independent corroboration${independent === 1 ? "" : "s"} of the ${needed} needed`;
    // The wording gives the claim to unnamed sources ("sources tell") and none is linked: the rule applies once
    // they are, so the core's verdict says to link them.
    const wordingUnnamed = this.wordingOf(claim)?.kind === "unnamed";
    const verdict = {
      met: "Two-source rule met",
      "not-met": `Two-source rule not met: attributed only to unnamed sources and has ${has}`,
      "does-not-apply":
        attributed.length > 0
          ? "Two-source rule does not apply: attributed to an on-the-record source"
          : wordingUnnamed
            ? "Two-source rule does not apply yet: link the unnamed sources the wording names as attributed"
            : "Two-source rule does not apply: no source is linked as attributed",
    }[rule];
    return {
      claim,
      attributed: attributed.length,
      attributed_only_to_unnamed: onlyUnnamed,
      independent_corroborations: independent,
      dependent_evidence: evidence.filter((e) => !e.independent && e.stance === "supports").length,
      contradicting: links.filter((l) => l.role === "contradicts").length + evidence.filter((e) => e.stance === "contradicts").length,
      needed,
      rule,
      two_source_rule: rule === "met",
      blocks_ready: rule === "not-met",
      verdict,
    };
  }
  async claimOpinion(claim: ClaimId) {
    return this.opinions.has(claim);
  }
  async setOpinion(claim: ClaimId, opinion: boolean) {
    this.calls.push(`setOpinion ${claim} ${opinion}`);
    if (opinion) this.opinions.add(claim);
    else this.opinions.delete(claim);
    return opinion;
  }
  async claimPersonalAttack(claim: ClaimId) {
    return this.attacks.has(claim);
  }
  async setPersonalAttack(claim: ClaimId, attack: boolean) {
    this.calls.push(`setPersonalAttack ${claim} ${attack}`);
    if (attack) this.attacks.add(claim);
    else this.attacks.delete(claim);
    return attack;
  }
  async listNotes(target: NoteTarget) {
    return this.notes.filter((n) => n.target.on === target.on && n.target.id === target.id);
  }
  async addNote(target: NoteTarget, text: string, replyTo: NoteId | null, isPrivate = false) {
    this.calls.push(`addNote ${target.on} ${target.id}`);
    if (!text.trim()) throw failure("invalid_input", "the note's text must not be empty");
    this.notes.push({ id: noteId(this.next++), target, reply_to: replyTo, text: text.trim(), author: "Amina", created_at: AT, edited_at: null, resolved_by: null, resolved_at: null, history: [], private: isPrivate, version: 1 });
    return this.listNotes(target);
  }
  async editNote(id: NoteId, text: string, version: number) {
    this.calls.push(`editNote ${id}`);
    const n = this.notes.find((x) => x.id === id)!;
    // Compare-and-set, as the core: a note edited since the version seen is refused.
    if (n.version !== version) throw failure("conflict", `note ${id} was changed since you saw it (it is now "${n.text}")`);
    n.history = [...n.history, { text: n.text, edited_by: "Amina", edited_at: AT }];
    n.text = text;
    n.edited_at = AT;
    n.version += 1;
    return { ...n };
  }
  async resolveNote(id: NoteId) {
    this.calls.push(`resolveNote ${id}`);
    const n = this.notes.find((x) => x.id === id)!;
    Object.assign(n, { resolved_by: "Amina", resolved_at: AT });
    return { ...n };
  }
  async reopenNote(id: NoteId) {
    this.calls.push(`reopenNote ${id}`);
    const n = this.notes.find((x) => x.id === id)!;
    Object.assign(n, { resolved_by: null, resolved_at: null });
    return { ...n };
  }
  async editorNote(draft: DraftId) {
    return { ...this.note, draft };
  }
  async saveEditorNote(draft: DraftId, text: string, version: number) {
    this.calls.push(`saveEditorNote ${draft}`);
    // Compare-and-set, as the core: a note saved by someone since the version seen is refused.
    if (this.note.version !== version) {
      throw failure("conflict", `the editor's note of draft ${draft} was changed by ${this.note.saved_by} since you saw it`);
    }
    return this.saveEditorNoteAs("Amina", draft, text);
  }
  /** Another person saving the editor's note (as another window would). */
  saveEditorNoteAs(by: string, draft: DraftId, text: string) {
    this.note = { draft, text, origin: "saved", saved_by: by, saved_at: AT, version: this.note.version + 1 };
    return { ...this.note };
  }
  async proposeEditorNote(draft: DraftId) {
    this.calls.push(`proposeEditorNote ${draft}`);
    return "Editor's Note: Strike Source granted anonymity to a senior Western diplomat.";
  }
  async draftStatus(draft: DraftId) {
    return { ...this.status, draft };
  }
  /** What the reviewer may not do on a draft, as the core answers it (all null: a desk without people). */
  refusals: DraftRefusals = { mark_ready: null, move_draft: null, override_finding: null, editor_note: null, add_note: null, private_note: null, change_claims: null };
  async draftRefusals(draft: DraftId) {
    this.calls.push(`draftRefusals ${draft}`);
    return { ...this.refusals };
  }
  async setDraftStatus(draft: DraftId, status: DraftStatus, reason: string | null): Promise<StatusChange> {
    this.calls.push(`setDraftStatus ${draft} ${status} ${reason ?? "-"}`);
    // As the core: a change since ready never stops marking ready again (that settles it).
    const open = status === "ready" ? this.findings.filter((f) => !f.overridden && f.rule !== "changed-since-ready") : [];
    if (open.length > 0 && reason === null) throw failure("rules_fail", `the draft cannot be marked ready: ${open.length} findings`);
    this.status = { draft, status, changed_by: "Amina", changed_at: AT, changed_since_ready: null };
    if (status === "ready") this.findings = this.findings.filter((f) => f.rule !== "changed-since-ready");
    return { status: { ...this.status }, override_id: open.length > 0 ? overrideId(1) : null, overridden: open };
  }
  /** The published record the fake answers with (null: not published). */
  published: PublishedRecord | null = null;
  async publishedRecord(draft: DraftId): Promise<PublishedRecord | null> {
    this.calls.push(`publishedRecord ${draft}`);
    return this.published;
  }
  async checkDraft(draft: DraftId) {
    this.calls.push(`checkDraft ${draft}`);
    return [...this.findings];
  }
  history: AuditEntry[] = [];
  async claimHistory(claim: ClaimId): Promise<ClaimChange[]> {
    // As the core: the claim's entries, and a source's removal or restore that took or brought back its link.
    const listsClaim = (side: string | null) => side !== null && (JSON.parse(side).links ?? []).some((l: { claim: number }) => l.claim === claim);
    return this.history
      .filter((e) => e.entity === `claim:${claim}` || (e.action.startsWith("source.") && (listsClaim(e.before) || listsClaim(e.after))))
      .map((e) => ({ seq: e.seq, at: e.at, actor: e.actor, action: e.action, sentence: `${this.sentence(e)} by ${e.actor}` }));
  }

  // A few of the core's sentences (crates/core/src/audit_labels.rs), for the actions this fake records.
  private sentence(e: AuditEntry): string {
    const before = e.before ? JSON.parse(e.before) : {};
    const after = e.after ? JSON.parse(e.after) : {};
    const name = (id: SourceId) => this.sources.find((s) => s.id === id)?.descriptor ?? `source ${id}`;
    const removed = (side: { descriptor?: string }) => side.descriptor || name(sourceId(Number(e.entity.slice("source:".length))));
    switch (e.action) {
      case "claim.link":
        return before.role ? `${name(after.source)}: ${before.role} → ${after.role}` : `Linked ${name(after.source)} (${after.role})`;
      case "claim.unlink":
        return `Removed ${name(before.source)}`;
      case "source.remove":
        return `Link to ${removed(before)} removed with the source`;
      case "source.restore":
        return `Link to ${removed(after)} restored with the source`;
      default:
        return e.action;
    }
  }
  reopens = true;
  async deskOverview(): Promise<DraftOverview[]> {
    const changed = this.status.changed_since_ready;
    return [
      {
        draft: this.status.draft,
        status: this.status.status,
        changed_since_ready: changed !== null,
        change_reason: changed?.reason ?? null,
        claims: { total: 0, needs_corroboration: 0, corroborated: 0, disputed: 0, unverifiable: 0, cleared: 0 },
      },
    ];
  }
  async reopensWhenChanged() {
    return this.reopens;
  }
  async setReopensWhenChanged(on: boolean) {
    this.calls.push(`setReopensWhenChanged ${on}`);
    this.reopens = on;
    return on;
  }
  async sourcingMatrix(draft: DraftId): Promise<SourcingMatrix> {
    const linked = this.sources.filter((s) => this.links.some((l) => l.source.id === s.id));
    // As the core: every claim of the draft (those seeded, and those with links), in the order they were tagged.
    const seeded = this.claims.filter((c) => c.draft === draft).map((c) => c.id);
    const claims = [...new Set([...seeded, ...this.links.map((l) => l.claim)])].sort((a, b) => a - b);
    return {
      draft,
      sources: linked,
      rows: await Promise.all(
        claims.map(async (claim) => {
          const view = this.claims.find((c) => c.id === claim);
          return {
            claim,
            status: view?.status ?? ("needs-corroboration" as const),
            opinion: this.opinions.has(claim),
            quote: view?.quote ?? `Claim ${claim}`,
            roles: linked.map((s) => this.links.find((l) => l.claim === claim && l.source.id === s.id)?.role ?? null),
            evidence: this.evidence.filter((e) => e.claim === claim).length,
            attribution: this.attributionOf(claim),
            corroboration: await this.claimCorroboration(claim),
          };
        }),
      ),
    };
  }
}
