// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { mountOnPage, settleTicks, byTestId, allByTestId, typeInto } from "../../tests/dom";
import { FakeSourcing } from "$lib/sourcing/fake-sourcing";
import DraftPanel from "./DraftPanel.svelte";
import { formatWhen } from "$lib/claims/claims";
import { claimId, draftId, sourceId, versionId } from "$lib/testing/ids";
import { claimView } from "$lib/testing/claims";
import type { ClaimId } from "$lib/ipc";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const mountComponent = mountOnPage();
const settle = settleTicks;
const q = byTestId;
const all = allByTestId;
const button = (id: string, to: string) => document.querySelector<HTMLButtonElement>(`[data-testid="${id}"][data-to="${to}"]`)!;
const type = typeInto;

describe("DraftPanel", () => {
  it("shows the findings when a draft moves to ready, and goes ahead only with a reason", async () => {
    const api = new FakeSourcing();
    api.findings = [
      { rule: "unnamed-needs-two-corroborations", message: "claim 7 rests on unnamed sources with 0 independent corroborations", claim: claimId(7), source: null, overridden: false, override: null },
      { rule: "unnamed-source-incomplete", message: "source 4 has no reason for anonymity", claim: null, source: sourceId(4), overridden: false, override: null },
    ];
    api.addSourceNow({ descriptor: "a diplomat", kind: "unnamed", notes: "", confidential: null });
    api.sources[0].id = sourceId(4);
    const picked: number[] = [];
    mountComponent(DraftPanel, {
      props: { api, draft: draftId(1), claimQuotes: { 7: "Taliban leaders meet <i>daily</i>" } as Record<ClaimId, string>, onSelectClaim: (c: number) => picked.push(c) },
    });
    await settle();
    expect(q("draft-status")!.dataset.draftStatus).toBe("in-review");
    expect(q("findings-count")!.textContent).toContain("2 open");
    expect(all("finding").map((f) => f.dataset.rule)).toEqual(["unnamed-needs-two-corroborations", "unnamed-source-incomplete"]);
    // Each rule by its one name, the core's (the verdicts say "Two-source rule met", the reports print the same).
    expect(all("finding").map((f) => f.querySelector(".rule")!.textContent)).toEqual(["Two-source rule", "Unnamed source incomplete"]);
    // Which claim and which source, as text.
    expect(q("finding-claim")!.textContent).toContain("Taliban leaders meet <i>daily</i>");
    expect(q("finding-claim")!.querySelector("i")).toBeNull();
    expect(q("finding-source")!.textContent).toContain("a diplomat");
    q("finding-claim")!.click();
    expect(picked).toEqual([7]);

    button("draft-move", "ready").click();
    await settle();
    expect(q("override-form")).not.toBeNull();
    expect(api.status.status).toBe("in-review");
    expect((q("override-submit") as HTMLButtonElement).disabled).toBe(true);

    type("override-reason", "Identity verified by the managing editor");
    q("override-form")!.dispatchEvent(new SubmitEvent("submit", { cancelable: true }));
    await settle();
    expect(api.calls).toContain("setDraftStatus 1 ready Identity verified by the managing editor");
    expect(q("draft-status")!.dataset.draftStatus).toBe("ready");
    expect(q("override-form")).toBeNull();
  });

  it("moves a draft with no findings straight on", async () => {
    const api = new FakeSourcing();
    mountComponent(DraftPanel, { props: { api, draft: draftId(1) } });
    await settle();
    expect(q("findings-count")!.textContent).toContain("All pass");
    button("draft-move", "ready").click();
    await settle();
    expect(q("draft-status")!.dataset.draftStatus).toBe("ready");
    expect(q("override-form")).toBeNull();
  });

  it("shows the editor's note found in the draft, proposes one for the reviewer to edit, and saves it", async () => {
    const api = new FakeSourcing();
    mountComponent(DraftPanel, { props: { api, draft: draftId(1) } });
    await settle();
    expect(q("editor-note")!.textContent).toBe("Editor's Note: Sources have not been named.");
    expect(q("editor-note-origin")!.dataset.origin).toBe("from-draft");

    q("editor-note-propose-start")!.click();
    await settle();
    const input = q("editor-note-input") as HTMLTextAreaElement;
    expect(input.value).toContain("granted anonymity to a senior Western diplomat");
    expect(api.note.origin).toBe("from-draft");

    type("editor-note-input", input.value + " Edited by the desk.");
    q("editor-note-form")!.dispatchEvent(new SubmitEvent("submit", { cancelable: true }));
    await settle();
    expect(q("editor-note")!.textContent).toContain("Edited by the desk.");
    expect(q("editor-note-origin")!.dataset.origin).toBe("saved");
  });

  it("keeps a half-typed editor's note when someone saved another meanwhile, shows theirs, and reapplies mine", async () => {
    const api = new FakeSourcing();
    mountComponent(DraftPanel, { props: { api, draft: draftId(1) } });
    await settle();
    q("editor-note-edit")!.click();
    await settle();
    type("editor-note-input", "Editor's Note: mine, half typed");
    // Another window saves its note while this one is being written.
    api.saveEditorNoteAs("Ben", draftId(1), "Editor's Note: theirs.");
    q("editor-note-form")!.dispatchEvent(new SubmitEvent("submit", { cancelable: true }));
    await settle();
    expect(q("editor-note-conflict")).not.toBeNull();
    expect(q("editor-note-conflict-by")!.textContent).toBe("Ben");
    expect(q("editor-note-conflict")!.textContent!.replace(/\s+/g, " ")).toContain(`saved another editor's note at ${formatWhen(api.note.saved_at!)} while you`);
    expect(q("editor-note-conflict-theirs")!.textContent).toBe("Editor's Note: theirs.");
    expect((q("editor-note-input") as HTMLTextAreaElement).value).toBe("Editor's Note: mine, half typed");
    expect(api.note.text).toBe("Editor's Note: theirs.");

    q("editor-note-reapply")!.click();
    await settle();
    expect(q("editor-note-conflict")).toBeNull();
    expect(api.note.text).toBe("Editor's Note: mine, half typed");
    expect(q("editor-note")!.textContent).toBe("Editor's Note: mine, half typed");
  });

  it("keeps their editor's note when the reviewer chooses so", async () => {
    const api = new FakeSourcing();
    mountComponent(DraftPanel, { props: { api, draft: draftId(1) } });
    await settle();
    q("editor-note-edit")!.click();
    await settle();
    type("editor-note-input", "Editor's Note: mine");
    api.saveEditorNoteAs("Ben", draftId(1), "Editor's Note: theirs.");
    q("editor-note-form")!.dispatchEvent(new SubmitEvent("submit", { cancelable: true }));
    await settle();
    q("editor-note-keep-theirs")!.click();
    await settle();
    expect(q("editor-note-input")).toBeNull();
    expect(q("editor-note")!.textContent).toBe("Editor's Note: theirs.");
    expect(api.note.text).toBe("Editor's Note: theirs.");
  });

  it("shows the claims × sources matrix", async () => {
    const api = new FakeSourcing();
    const a = api.addSourceNow({ descriptor: "a senior Western diplomat", kind: "unnamed", notes: "", confidential: null });
    const b = api.addSourceNow({ descriptor: "Embassy statement", kind: "official-statement", notes: "", confidential: null });
    await api.linkSource(claimId(7), a.id, "attributed");
    await api.linkSource(claimId(7), b.id, "contradicts");
    await api.linkSource(claimId(8), b.id, "corroborates");
    mountComponent(DraftPanel, { props: { api, draft: draftId(1) } });
    await settle();
    const rows = all("matrix-row");
    expect(rows).toHaveLength(2);
    expect([...rows[0].querySelectorAll<HTMLElement>('[data-testid="matrix-cell"]')].map((c) => c.dataset.role)).toEqual(["attributed", "contradicts"]);
    expect([...rows[1].querySelectorAll<HTMLElement>('[data-testid="matrix-cell"]')].map((c) => c.dataset.role)).toEqual(["none", "corroborates"]);
    expect(q("sourcing-matrix")!.parentElement!.parentElement!.textContent).toContain("a senior Western diplomat");
  });

  // usertest F11: "—" stood both for a two-source rule not met and for one that does not apply, and the legend
  // explained only A, C and ✕.
  it("marks the two-source rule met, not met and not applying apart, and its legend explains every column and mark", async () => {
    const api = new FakeSourcing();
    const a = api.addSourceNow({ descriptor: "a senior Western diplomat", kind: "unnamed", notes: "", confidential: null });
    const b = api.addSourceNow({ descriptor: "Embassy statement", kind: "official-statement", notes: "", confidential: null });
    await api.linkSource(claimId(7), a.id, "attributed");
    await api.linkSource(claimId(7), b.id, "contradicts");
    await api.linkSource(claimId(8), b.id, "attributed");
    await api.linkSource(claimId(9), a.id, "attributed");
    for (const reference of ["photo.jpg", "log.pdf"]) {
      await api.addEvidence(claimId(9), { kind: "document", reference, summary: "seen", obtained_at: null, independent: true, stance: "supports" });
    }
    mountComponent(DraftPanel, { props: { api, draft: draftId(1) } });
    await settle();
    const cells = all("matrix-two-source");
    expect(cells.map((c) => c.dataset.twoSource)).toEqual(["not-met", "does-not-apply", "met"]);
    expect(cells.map((c) => c.textContent!.trim())).toEqual(["0/2", "n/a", "✓"]);
    // The core's sentence, in the tooltip and for a screen reader.
    expect(cells[1].title).toBe("Two-source rule does not apply: attributed to an on-the-record source");
    expect(cells[0].getAttribute("aria-label")).toBe(cells[0].title);
    const legend = q("matrix-legend")!.textContent!.replace(/\s+/g, " ");
    for (const words of [
      "S1, S2",
      "A attributed",
      "C corroborates",
      "✕ contradicts",
      "Ev evidence items",
      "2× two-source rule",
      "✓ met",
      "0/2 not met",
      "n/a does not apply",
    ]) {
      expect(legend).toContain(words);
    }
  });

  // The core's fourth sentence in the matrix: the wording gives claim 7 to unnamed sources and none is linked yet.
  it("marks a claim whose wording names unnamed sources, none linked yet, n/a with the core's 'does not apply yet'", async () => {
    const api = new FakeSourcing();
    const wording = { kind: "unnamed" as const, from: "wording" as const, cue: "Sources tell Strike Source" };
    api.claims = [
      claimView(7, "Taliban leaders meet at the Chinese embassy every day", { attribution: wording }),
      claimView(8, "The embassy denied any meeting"),
    ];
    const statement = api.addSourceNow({ descriptor: "Embassy statement", kind: "official-statement", notes: "", confidential: null });
    await api.linkSource(claimId(8), statement.id, "attributed");
    mountComponent(DraftPanel, { props: { api, draft: draftId(1) } });
    await settle();
    expect(all("matrix-row").map((r) => r.dataset.claimId)).toEqual(["7", "8"]);
    const [yet, onRecord] = all("matrix-two-source");
    const sentence = "Two-source rule does not apply yet: link the unnamed sources the wording names as attributed";
    expect([yet.dataset.twoSource, yet.textContent!.trim(), yet.title, yet.getAttribute("aria-label")]).toEqual(["does-not-apply", "n/a", sentence, sentence]);
    expect(yet.classList.contains("warn")).toBe(false);
    expect(onRecord.title).toBe("Two-source rule does not apply: attributed to an on-the-record source");
    const [wordingCell, sourcesCell] = all("matrix-attribution");
    expect([wordingCell.dataset.attribution, wordingCell.dataset.attributionFrom, wordingCell.textContent]).toEqual(["unnamed", "wording", "Unnamed · read from the wording"]);
    expect([sourcesCell.dataset.attribution, sourcesCell.dataset.attributionFrom]).toEqual(["official-statement", "sources"]);
  });

  it("says when the text changed since ready, what changed, and that the draft went back", async () => {
    const api = new FakeSourcing();
    api.status = {
      draft: draftId(1),
      status: "needs-work",
      changed_by: "factdesk",
      changed_at: "2026-12-01T03:00:00Z",
      changed_since_ready: {
        version: versionId(4),
        status_was: "ready",
        reopened: true,
        detected_at: "2026-12-01T03:00:00Z",
        changes: [
          { kind: "claim-orphaned", claim: claimId(7), message: "claim 7 “Taliban <b>leaders</b>” is no longer in the text" },
          { kind: "new-suggestion", claim: null, message: "a new check-worthy sentence" },
        ],
        reason: "the text changed since the draft was marked ready: claim 7 “Taliban <b>leaders</b>” is no longer in the text",
        findings: [],
      },
    };
    const picked: number[] = [];
    mountComponent(DraftPanel, { props: { api, draft: draftId(1), onSelectClaim: (c: number) => picked.push(c) } });
    await settle();
    expect(q("draft-status")!.dataset.draftStatus).toBe("needs-work");
    // The core moved it back by itself: that must not read as a person named "factdesk".
    expect(document.body.textContent).toContain("Factdesk (automatic) · ");
    expect(document.body.textContent).not.toContain("factdesk · ");
    const changed = q("changed-since-ready")!;
    expect(changed.dataset.reopened).toBe("true");
    expect(changed.textContent).toContain("Changed since ready: back to needs work");
    expect(q("changed-reason")!.textContent).toContain("no longer in the text");
    expect(changed.querySelector("b")).toBeNull();
    expect(changed.dataset.kinds).toBe("claim-orphaned new-suggestion");
    const [item, other] = all("changed-item");
    expect(item.dataset.kind).toBe("claim-orphaned");
    expect(other.querySelector("button")).toBeNull();
    item.querySelector("button")!.click();
    expect(picked).toEqual([7]);
  });
  it("says a change since ready once, in the banner that says what to do, and marking ready again needs no override", async () => {
    const api = new FakeSourcing();
    const reason = "the text changed since the draft was marked ready: claim 7 “Taliban leaders” is no longer in the text";
    api.status = {
      draft: draftId(1),
      status: "needs-work",
      changed_by: "factdesk",
      changed_at: "2026-12-01T03:00:00Z",
      changed_since_ready: {
        version: versionId(4),
        status_was: "ready",
        reopened: true,
        detected_at: "2026-12-01T03:00:00Z",
        changes: [{ kind: "claim-orphaned", claim: claimId(7), message: "claim 7 “Taliban leaders” is no longer in the text" }],
        reason,
        findings: [],
      },
    };
    // As the core: the rules report the change as a finding too, which never blocks marking ready again.
    api.findings = [{ rule: "changed-since-ready", message: reason, claim: null, source: null, overridden: false, override: null }];
    mountComponent(DraftPanel, { props: { api, draft: draftId(1) } });
    await settle();
    expect(q("changed-since-ready")!.textContent).toContain("Look at what changed, then mark the draft ready again");
    expect(document.querySelector('[data-testid="finding"][data-rule="changed-since-ready"]')).toBeNull();
    expect(document.body.textContent!.split("is no longer in the text").length - 1).toBe(1);
    expect(q("findings-count")!.textContent).toBe("All pass");

    button("draft-move", "ready").click();
    await settle();
    expect(q("override-form")).toBeNull();
    expect(api.calls).toContain("setDraftStatus 1 ready -");
    expect(q("draft-status")!.dataset.draftStatus).toBe("ready");
  });
  it("shows a published draft's record: who published it, what changed since, and the claims as published", async () => {
    const api = new FakeSourcing();
    api.status = { draft: draftId(1), status: "updated", changed_by: "Amina", changed_at: "2026-12-01T03:00:00Z", changed_since_ready: null };
    api.published = {
      published: {
        draft: draftId(1),
        version: versionId(3),
        published_by: "Amina",
        published_at: "2026-11-30T09:00:00Z",
        claims: [
          { id: claimId(7), quote: "Taliban <b>leaders</b> meet at the embassy", status: "corroborated", sources: [{ descriptor: "a senior Western diplomat", kind: "unnamed", role: "attributed" }], evidence: [], notes: [] },
        ],
        editor_note: "Sources were granted anonymity.",
        notes: [],
      },
      changes: [{ change: "status-changed", claim: claimId(7), quote: "Taliban <b>leaders</b> meet at the embassy", from: "corroborated", to: "disputed" }],
    };
    mountComponent(DraftPanel, { props: { api, draft: draftId(1) } });
    await settle();
    const record = q("published-record")!;
    expect(record.dataset.changes).toBe("1");
    expect(q("published-by")!.textContent).toContain("Published by Amina");
    const [change] = all("published-change");
    expect(change.dataset.change).toBe("status-changed");
    expect(change.textContent).toContain("Status Corroborated → Disputed — “Taliban <b>leaders</b> meet at the embassy”");
    expect(record.querySelector("b")).toBeNull();
    const [claim] = all("published-claim");
    expect(claim.dataset.status).toBe("corroborated");
    expect(claim.textContent).toContain("a senior Western diplomat (attributed)");
    expect(q("published-editor-note")!.textContent).toBe("Sources were granted anonymity.");
  });

  it("disables what the reviewer's role may not do, the core's refusal as the reason, and keeps what it may", async () => {
    const api = new FakeSourcing();
    // As the core answers for bo, a reporter, on their own draft: notes yes, private notes and the workflow no.
    const needsEditor = (what: string) => `bo (reporter) may not ${what} here: it needs the editor or standards editor role`;
    api.refusals = {
      mark_ready: needsEditor("move a draft to ready"),
      move_draft: needsEditor("change a draft's workflow status"),
      override_finding: needsEditor("override a finding"),
      editor_note: needsEditor("change the editor's note or the desk's settings"),
      add_note: null,
      private_note: "bo (reporter) may not read private notes here: it needs the editor, standards editor or lawyer role",
      change_claims: null,
    };
    mountComponent(DraftPanel, { props: { api, draft: draftId(1) } });
    await settle();
    expect(api.calls).toContain("draftRefusals 1");
    const ready = button("draft-move", "ready");
    expect(ready.disabled).toBe(true);
    expect(ready.title).toBe(needsEditor("move a draft to ready"));
    const needsWork = button("draft-move", "needs-work");
    expect(needsWork.disabled).toBe(true);
    expect(needsWork.title).toBe(needsEditor("change a draft's workflow status"));
    expect(q("draft-move-refused")!.textContent).toBe(needsEditor("change a draft's workflow status"));
    ready.click();
    await settle();
    expect(api.calls.some((c) => c.startsWith("setDraftStatus"))).toBe(false);

    for (const id of ["editor-note-edit", "editor-note-propose-start"]) {
      const control = q(id) as HTMLButtonElement;
      expect(control.disabled).toBe(true);
      expect(control.title).toBe(needsEditor("change the editor's note or the desk's settings"));
    }
    const privately = q("note-private-input") as HTMLInputElement;
    expect(privately.disabled).toBe(true);
    expect(privately.closest("label")!.title).toContain("may not read private notes");
    // A note of their own, on their own draft: theirs to add.
    expect((q("note-input") as HTMLTextAreaElement).disabled).toBe(false);
    type("note-input", "The figure is from the council's minutes.");
    await settle();
    expect((q("note-submit") as HTMLButtonElement).disabled).toBe(false);
  });

  it("draws a primary button the role may not press unfilled, by the one rule for every primary, its reason kept", async () => {
    // The window's own style sheet: a faded accent fill still looked pressable (usertest).
    const sheet = document.createElement("style");
    // (Read from disk: Vitest hands CSS imports over empty, `?raw` too.)
    sheet.textContent = readFileSync(join(dirname(fileURLToPath(import.meta.url)), "../../app.css"), "utf8");
    document.head.append(sheet);
    try {
      const api = new FakeSourcing();
      const refusal = "bo (reporter) may not move a draft to ready here: it needs the editor or standards editor role";
      api.refusals = { ...api.refusals, mark_ready: refusal };
      mountComponent(DraftPanel, { props: { api, draft: draftId(1) } });
      await settle();
      const ready = button("draft-move", "ready");
      expect(ready.classList.contains("primary") && ready.disabled).toBe(true);
      expect(getComputedStyle(ready).cursor).toBe("not-allowed");
      expect(getComputedStyle(ready).borderStyle).toBe("dashed");
      expect(ready.title).toBe(refusal);
      // A move the role may make keeps the pressable look.
      const needsWork = button("draft-move", "needs-work");
      expect(needsWork.disabled).toBe(false);
      expect(getComputedStyle(needsWork).cursor).toBe("pointer");
    } finally {
      sheet.remove();
    }
  });

  it("offers every control to a role that may use them", async () => {
    const api = new FakeSourcing();
    mountComponent(DraftPanel, { props: { api, draft: draftId(1) } });
    await settle();
    expect(button("draft-move", "ready").disabled).toBe(false);
    expect(button("draft-move", "ready").title).toBe("");
    expect(q("draft-move-refused")).toBeNull();
    expect((q("editor-note-edit") as HTMLButtonElement).disabled).toBe(false);
    expect((q("note-private-input") as HTMLInputElement).disabled).toBe(false);
  });

  it("shows no published record before the draft is published", async () => {
    const api = new FakeSourcing();
    mountComponent(DraftPanel, { props: { api, draft: draftId(1) } });
    await settle();
    expect(q("published-record")).toBeNull();
    expect(api.calls.some((c) => c.startsWith("publishedRecord"))).toBe(false);
  });
});
