// An in-memory SourcingApi for component tests: enough of the core's behaviour to drive the
// panels (links, evidence, counts, notes, editor's note, workflow, findings), and a log of calls.

import type {
  AuditEntry,
  Confidential,
  Corroboration,
  DraftStatus,
  DraftOverview,
  DraftStatusView,
  EditorNote,
  EvidenceView,
  Finding,
  NewEvidence,
  NewSource,
  NoteTarget,
  NoteView,
  SourceLink,
  SourceRole,
  SourceUpdate,
  SourceView,
  SourcingApi,
  SourcingMatrix,
  StatusChange,
} from "$lib/ipc";

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
  note: EditorNote = { draft: 1, text: "Editor's Note: Sources have not been named.", origin: "from-draft", saved_by: null, saved_at: null };
  status: DraftStatusView = { draft: 1, status: "in-review", changed_by: null, changed_at: null, changed_since_ready: null };
  findings: Finding[] = [];
  private next = 100;

  private view(new_: NewSource, id: number): SourceView {
    const c = new_.confidential;
    return {
      id,
      desk: 1,
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
    };
  }

  addSourceNow(source: NewSource): SourceView {
    const view = this.view(source, this.next++);
    this.sources.push(view);
    if (source.confidential) this.secrets.set(view.id, source.confidential);
    return view;
  }

  private log(claim: number, action: string, before: object | null, after: object | null) {
    const seq = this.history.length + 1;
    this.history.push({ seq, at: AT, actor: "Amina", action, entity: `claim:${claim}`, before: before && JSON.stringify(before), after: after && JSON.stringify(after), prev_hash: "", hash: "" });
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
  async updateSource(id: number, update: SourceUpdate) {
    this.calls.push(`updateSource ${id}`);
    const s = this.sources.find((x) => x.id === id)!;
    Object.assign(s, {
      descriptor: update.descriptor ?? s.descriptor,
      kind: update.kind ?? s.kind,
      notes: update.notes ?? s.notes,
    });
    return { ...s };
  }
  async setSourceConfidential(id: number, fields: Confidential) {
    this.calls.push(`setSourceConfidential ${id}`);
    const before = this.secrets.get(id) ?? ({} as Confidential);
    const merged = { ...before } as Record<string, unknown>;
    for (const [k, v] of Object.entries(fields)) if (v !== null) merged[k] = v === "" ? null : v;
    this.secrets.set(id, merged as Confidential);
    const s = this.sources.find((x) => x.id === id)!;
    s.confidential = this.view({ descriptor: s.descriptor, kind: s.kind, notes: "", confidential: merged as Confidential }, id).confidential;
    return { ...s };
  }
  async revealSource(id: number) {
    this.calls.push(`revealSource ${id}`);
    return { identity: null, contact: null, first_hand: null, how_known: null, anonymity_reason: null, editor_knows: null, approved_by: null, ...this.secrets.get(id) };
  }
  async linkSource(claim: number, source: number, role: SourceRole) {
    this.calls.push(`linkSource ${claim} ${source} ${role}`);
    this.links = this.links.filter((l) => !(l.claim === claim && l.source.id === source));
    this.links.push({ claim, source: this.sources.find((s) => s.id === source)!, role, linked_by: "Amina", linked_at: AT });
    this.log(claim, "claim.link", null, { source, role });
    return this.claimSources(claim);
  }
  async unlinkSource(claim: number, source: number) {
    this.calls.push(`unlinkSource ${claim} ${source}`);
    this.log(claim, "claim.unlink", { source }, null);
    this.links = this.links.filter((l) => !(l.claim === claim && l.source.id === source));
    return this.claimSources(claim);
  }
  async claimSources(claim: number) {
    return this.links.filter((l) => l.claim === claim);
  }
  async addEvidence(claim: number, e: NewEvidence) {
    this.calls.push(`addEvidence ${claim} ${e.kind} ${e.independent}`);
    this.evidence.push({ ...e, id: this.next++, claim, added_by: "Amina", added_at: AT });
    return this.listEvidence(claim);
  }
  async listEvidence(claim: number) {
    return this.evidence.filter((e) => e.claim === claim);
  }
  async claimCorroboration(claim: number): Promise<Corroboration> {
    const links = this.links.filter((l) => l.claim === claim);
    const attributed = links.filter((l) => l.role === "attributed");
    const evidence = this.evidence.filter((e) => e.claim === claim);
    const independent = links.filter((l) => l.role === "corroborates").length + evidence.filter((e) => e.independent && e.stance === "supports").length;
    // The core's rule (sourcing/corroboration.rs): an unnamed source never counts towards its own corroboration.
    const onlyUnnamed = attributed.length > 0 && attributed.every((l) => l.source.kind === "unnamed");
    const needed = 2 - Math.min(attributed.filter((l) => l.source.kind !== "unnamed").length, 2);
    const holds = independent >= needed;
    const has = `${independent} independent corroboration${independent === 1 ? "" : "s"} of the ${needed} needed`;
    return {
      claim,
      attributed: attributed.length,
      attributed_only_to_unnamed: onlyUnnamed,
      independent_corroborations: independent,
      dependent_evidence: evidence.filter((e) => !e.independent && e.stance === "supports").length,
      contradicting: links.filter((l) => l.role === "contradicts").length + evidence.filter((e) => e.stance === "contradicts").length,
      needed,
      two_source_rule: holds,
      blocks_ready: onlyUnnamed && !holds,
      verdict: holds ? "Two-source rule holds" : `Two-source rule not met: ${onlyUnnamed ? "attributed only to unnamed sources and has " : "has "}${has}`,
    };
  }
  async claimOpinion(claim: number) {
    return this.opinions.has(claim);
  }
  async setOpinion(claim: number, opinion: boolean) {
    this.calls.push(`setOpinion ${claim} ${opinion}`);
    if (opinion) this.opinions.add(claim);
    else this.opinions.delete(claim);
    return opinion;
  }
  async claimPersonalAttack(claim: number) {
    return this.attacks.has(claim);
  }
  async setPersonalAttack(claim: number, attack: boolean) {
    this.calls.push(`setPersonalAttack ${claim} ${attack}`);
    if (attack) this.attacks.add(claim);
    else this.attacks.delete(claim);
    return attack;
  }
  async listNotes(target: NoteTarget) {
    return this.notes.filter((n) => n.target.on === target.on && n.target.id === target.id);
  }
  async addNote(target: NoteTarget, text: string, replyTo: number | null, isPrivate = false) {
    this.calls.push(`addNote ${target.on} ${target.id}`);
    if (!text.trim()) throw failure("invalid_input", "the note's text must not be empty");
    this.notes.push({ id: this.next++, target, reply_to: replyTo, text: text.trim(), author: "Amina", created_at: AT, edited_at: null, resolved_by: null, resolved_at: null, history: [], private: isPrivate });
    return this.listNotes(target);
  }
  async editNote(id: number, text: string) {
    this.calls.push(`editNote ${id}`);
    const n = this.notes.find((x) => x.id === id)!;
    n.history = [...n.history, { text: n.text, edited_by: "Amina", edited_at: AT }];
    n.text = text;
    n.edited_at = AT;
    return { ...n };
  }
  async resolveNote(id: number) {
    this.calls.push(`resolveNote ${id}`);
    const n = this.notes.find((x) => x.id === id)!;
    Object.assign(n, { resolved_by: "Amina", resolved_at: AT });
    return { ...n };
  }
  async reopenNote(id: number) {
    this.calls.push(`reopenNote ${id}`);
    const n = this.notes.find((x) => x.id === id)!;
    Object.assign(n, { resolved_by: null, resolved_at: null });
    return { ...n };
  }
  async editorNote(draft: number) {
    return { ...this.note, draft };
  }
  async saveEditorNote(draft: number, text: string) {
    this.calls.push(`saveEditorNote ${draft}`);
    this.note = { draft, text, origin: "saved", saved_by: "Amina", saved_at: AT };
    return { ...this.note };
  }
  async proposeEditorNote(draft: number) {
    this.calls.push(`proposeEditorNote ${draft}`);
    return "Editor's Note: Strike Source granted anonymity to a senior Western diplomat.";
  }
  async draftStatus(draft: number) {
    return { ...this.status, draft };
  }
  async setDraftStatus(draft: number, status: DraftStatus, reason: string | null): Promise<StatusChange> {
    this.calls.push(`setDraftStatus ${draft} ${status} ${reason ?? "-"}`);
    const open = status === "ready" ? this.findings.filter((f) => !f.overridden) : [];
    if (open.length > 0 && reason === null) throw failure("rules_fail", `the draft cannot be marked ready: ${open.length} findings`);
    this.status = { draft, status, changed_by: "Amina", changed_at: AT, changed_since_ready: null };
    return { status: { ...this.status }, override_id: open.length > 0 ? 1 : null, overridden: open };
  }
  async checkDraft(draft: number) {
    this.calls.push(`checkDraft ${draft}`);
    return [...this.findings];
  }
  history: AuditEntry[] = [];
  async claimHistory(claim: number) {
    return this.history.filter((e) => e.entity === `claim:${claim}`);
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
  async sourcingMatrix(draft: number): Promise<SourcingMatrix> {
    const linked = this.sources.filter((s) => this.links.some((l) => l.source.id === s.id));
    const claims = [...new Set(this.links.map((l) => l.claim))];
    return {
      draft,
      sources: linked,
      rows: await Promise.all(
        claims.map(async (claim) => ({
          claim,
          status: "needs-corroboration" as const,
          opinion: this.opinions.has(claim),
          quote: `Claim ${claim}`,
          roles: linked.map((s) => this.links.find((l) => l.claim === claim && l.source.id === s.id)?.role ?? null),
          evidence: this.evidence.filter((e) => e.claim === claim).length,
          attribution: { kind: "none" as const, from: "wording" as const, cue: null },
          corroboration: await this.claimCorroboration(claim),
        })),
      ),
    };
  }
}
