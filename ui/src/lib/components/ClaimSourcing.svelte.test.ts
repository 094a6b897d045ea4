// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { mountOnPage, settleTicks, byTestId, allByTestId, typeInto } from "../../tests/dom";
import { FakeSourcing } from "$lib/sourcing/fake-sourcing";
import { UndoStack, undoContext } from "$lib/undo/undo.svelte";
import { invalidate } from "$lib/state/invalidation";
import ClaimSourcing from "./ClaimSourcing.svelte";
import { claimId, deskId } from "$lib/testing/ids";
import { claimView } from "$lib/testing/claims";
import type { ClaimId } from "$lib/ipc";

const mountComponent = mountOnPage();
const settle = settleTicks;
const q = byTestId;
const all = allByTestId;
const type = typeInto;

function choose(id: string, value: string) {
  const el = q(id) as HTMLSelectElement;
  el.value = value;
  el.dispatchEvent(new Event("change", { bubbles: true }));
}

function submit(id: string) {
  q(id)!.dispatchEvent(new SubmitEvent("submit", { cancelable: true }));
}

/**
 * Mounts the sourcing of `claim` as the claims pane passes it: the id of the selected claim's view, which each
 * reload of the review replaces. Set `pane.selected` to a new view (of the same claim or another) as a reload would.
 */
function mountWithPane(api: FakeSourcing, claim: ClaimId): { selected: { id: ClaimId } } {
  const pane = $state({ selected: { id: claim } });
  mountComponent(ClaimSourcing, {
    props: {
      api,
      get claim() {
        return pane.selected.id;
      },
    },
  });
  return pane;
}

describe("ClaimSourcing", () => {
  it("creates an unnamed source inline, links it as attributed, and adds independent evidence", async () => {
    const api = new FakeSourcing();
    let changed = 0;
    mountComponent(ClaimSourcing, { props: { api, claim: claimId(7), onChanged: () => changed++ } });
    await settle();
    expect(q("claim-source-count")!.textContent).toBe("0");
    // No source behind it yet: the rule asks nothing of it, and says so without a warning (usertest F9).
    expect(q("two-source-rule")!.textContent).toBe("Two-source rule does not apply: no source is linked as attributed");
    expect(q("claim-corroboration")!.dataset.twoSource).toBe("does-not-apply");
    expect(q("two-source-rule")!.classList.contains("warn")).toBe(false);

    q("add-source")!.click();
    await settle();
    // No source in the register yet: the form starts on a new one.
    expect((q("link-source-pick") as HTMLSelectElement).value).toBe("new");
    type("new-source-descriptor", "a senior Western diplomat");
    // A new unnamed source's confidential side is entered here, masked.
    const identity = q("new-source-identity") as HTMLInputElement;
    expect(identity.type).toBe("password");
    type("new-source-identity", "Deputy head of mission");
    choose("new-source-first_hand", "yes");
    submit("link-source-form");
    await settle();

    const [source] = all("claim-source");
    expect(source.dataset.role).toBe("attributed");
    expect(source.dataset.kind).toBe("unnamed");
    expect(q("claim-source-descriptor")!.textContent).toBe("a senior Western diplomat");
    expect(api.calls).toContain("linkNewSource 7 a senior Western diplomat unnamed attributed");
    const stored = (await api.listSources())[0];
    expect(stored.confidential.identity).toBe(true);
    expect(stored.confidential.first_hand).toBe(true);
    expect(stored.confidential.contact).toBe(false);
    expect(document.body.textContent).not.toContain("Deputy head of mission");
    expect(q("claim-corroboration")!.textContent).toContain("1 attributed (unnamed only)");

    q("add-evidence")!.click();
    await settle();
    choose("evidence-kind", "document");
    type("evidence-reference-input", "minutes.pdf");
    type("evidence-summary-input", "Minutes of the meeting <b>not bold</b>");
    // Independence is the reviewer's finding: never ticked for them.
    const independent = q("evidence-independent") as HTMLInputElement;
    expect(independent.checked).toBe(false);
    independent.click();
    submit("evidence-form");
    await settle();

    expect(all("evidence-item")).toHaveLength(1);
    expect(q("evidence-item")!.dataset.independent).toBe("true");
    // User text stays text.
    expect(q("evidence-summary")!.textContent).toBe("Minutes of the meeting <b>not bold</b>");
    expect(q("evidence-summary")!.querySelector("b")).toBeNull();
    expect(q("claim-corroboration")!.textContent).toContain("1 independent");
    // One unnamed source and one independent item: the core's verdict, in its words (an unnamed
    // source never vouches for itself), not a count the panel makes up.
    expect(q("claim-corroboration")!.dataset.twoSource).toBe("not-met");
    expect(q("two-source-rule")!.classList.contains("warn")).toBe(true);
    expect(q("two-source-rule")!.textContent).toBe(
      "Two-source rule not met: attributed only to unnamed sources and has 1 independent corroboration of the 2 needed",
    );
    expect(changed).toBeGreaterThanOrEqual(2);
  });

  // The core's fourth sentence: the wording gives the claim to unnamed sources ("Sources tell") and none is linked yet,
  // so the rule will apply once they are; the verdict says what to do, not a "does not apply" that reads as nothing to do.
  it("says the two-source rule does not apply yet while the unnamed sources the wording names are not linked", async () => {
    const api = new FakeSourcing();
    const wording = { kind: "unnamed" as const, from: "wording" as const, cue: "Sources tell Strike Source" };
    api.claims = [claimView(7, "Taliban leaders meet at the Chinese embassy every day", { attribution: wording })];
    mountComponent(ClaimSourcing, { props: { api, claim: claimId(7) } });
    await settle();
    expect(q("two-source-rule")!.textContent).toBe("Two-source rule does not apply yet: link the unnamed sources the wording names as attributed");
    expect(q("claim-corroboration")!.dataset.twoSource).toBe("does-not-apply");
    expect(q("claim-corroboration")!.dataset.blocksReady).toBe("false");
    expect(q("two-source-rule")!.classList.contains("warn")).toBe(false);

    // Linked as the wording says: the rule applies now, and is not met.
    const source = api.addSourceNow({ descriptor: "sources in Kabul", kind: "unnamed", notes: "", confidential: null });
    await api.linkSource(claimId(7), source.id, "attributed");
    invalidate("review");
    await settle();
    expect(q("claim-corroboration")!.dataset.twoSource).toBe("not-met");
    expect(q("two-source-rule")!.textContent).toBe(
      "Two-source rule not met: attributed only to unnamed sources and has 0 independent corroborations of the 2 needed",
    );
  });

  it("brings the whole link form into view as the new source's fields open, its Link button too", async () => {
    const api = new FakeSourcing();
    const known = api.addSourceNow({ descriptor: "the council's minutes", kind: "document", notes: "", confidential: null });
    mountComponent(ClaimSourcing, { props: { api, claim: claimId(7) } });
    await settle();
    const scrolled: { element: Element; options: unknown }[] = [];
    const original = Element.prototype.scrollIntoView;
    Element.prototype.scrollIntoView = function (this: Element, options?: boolean | ScrollIntoViewOptions) {
      scrolled.push({ element: this, options });
    };
    try {
      q("add-source")!.click();
      await settle();
      expect((q("link-source-pick") as HTMLSelectElement).value).toBe(String(known.id));
      scrolled.length = 0;
      choose("link-source-pick", "new");
      await settle();
      // The fields below the picker grow the form past the inspector's fold: the form is scrolled into view whole
      // (nearest: no jump when it already shows), so its Link button is not left below the edge.
      expect(scrolled.map((s) => [(s.element as HTMLElement).dataset.testid, s.options])).toEqual([
        ["link-source-form", { block: "nearest" }],
      ]);
    } finally {
      Element.prototype.scrollIntoView = original;
    }
  });

  it("picks an existing source, changes its role, removes it, and says why a change failed", async () => {
    const api = new FakeSourcing();
    const known = api.addSourceNow({ descriptor: "Interior ministry statement", kind: "official-statement", notes: "", confidential: null });
    mountComponent(ClaimSourcing, { props: { api, claim: claimId(3) } });
    await settle();
    q("add-source")!.click();
    await settle();
    expect((q("link-source-pick") as HTMLSelectElement).value).toBe(String(known.id));
    choose("link-source-role", "corroborates");
    submit("link-source-form");
    await settle();
    expect(q("claim-source")!.dataset.role).toBe("corroborates");

    choose("claim-source-role", "contradicts");
    await settle();
    expect(api.calls).toContain(`linkSource 3 ${known.id} contradicts`);
    expect(q("claim-source")!.dataset.role).toBe("contradicts");

    q("claim-source-remove")!.click();
    await settle();
    expect(all("claim-source")).toHaveLength(0);

    q("claim-history-toggle")!.click();
    await settle();
    expect(all("claim-history-entry").map((e) => e.dataset.action)).toEqual(["claim.link", "claim.link", "claim.unlink"]);
    expect(q("claim-history")!.textContent).toContain("Linked Interior ministry statement (corroborates)");

    api.linkNewSource = async () => {
      throw { code: "invalid_input", message: "the source's descriptor must not be empty" };
    };
    q("add-source")!.click();
    await settle();
    choose("link-source-pick", "new");
    await settle();
    type("new-source-descriptor", "x");
    submit("link-source-form");
    await settle();
    expect(q("sourcing-error")!.textContent).toContain("must not be empty");
  });

  it("says why a link or evidence was refused inside its form, beside the button pressed (teamtry B2)", async () => {
    const api = new FakeSourcing();
    mountComponent(ClaimSourcing, { props: { api, claim: claimId(7) } });
    await settle();
    const refusal = "bo (reporter) may not reveal or record a source's identity here: it needs the standards editor role";
    api.linkNewSource = async () => {
      throw { code: "invalid_input", message: refusal };
    };
    q("add-source")!.click();
    await settle();
    type("new-source-descriptor", "a senior Afghan official");
    type("new-source-identity", "Ahmad");
    const scrolled: Element[] = [];
    const original = Element.prototype.scrollIntoView;
    Element.prototype.scrollIntoView = function (this: Element) {
      scrolled.push(this);
    };
    try {
      submit("link-source-form");
      await settle();
    } finally {
      Element.prototype.scrollIntoView = original;
    }
    // Submitted with Enter from a field high in the form, the message is brought into view too.
    expect(scrolled).toContain(q("sourcing-error"));
    // Not under the notes and the history, out of sight: in the form, still open with what was typed.
    expect(q("sourcing-error")!.textContent).toBe(refusal);
    expect(q("link-source-form")!.contains(q("sourcing-error"))).toBe(true);
    expect(all("sourcing-error")).toHaveLength(1);
    expect((q("new-source-descriptor") as HTMLInputElement).value).toBe("a senior Afghan official");

    (q("link-source-form")!.querySelector("button[type=button]") as HTMLButtonElement).click();
    await settle();
    api.addEvidence = async () => {
      throw { code: "invalid_input", message: "lou (lawyer) may not change claims here: it needs the editor role" };
    };
    q("add-evidence")!.click();
    await settle();
    type("evidence-summary-input", "Minutes");
    submit("evidence-form");
    await settle();
    expect(q("evidence-form")!.contains(q("sourcing-error"))).toBe(true);
    expect(q("sourcing-error")!.textContent).toContain("lou (lawyer) may not change claims");
  });

  it("disables every change to the claim the person's role may not make, with the core's refusal (teamtry C4)", async () => {
    const api = new FakeSourcing();
    await api.linkNewSource(claimId(7), { descriptor: "a senior official", kind: "unnamed", notes: "", confidential: null }, "attributed");
    await api.addEvidence(claimId(7), { kind: "document", reference: "", summary: "Minutes", obtained_at: null, independent: true, stance: "supports" });
    const refusal = "lou (lawyer) may not change claims here: it needs the editor or standards editor role, or to be the draft's reporter";
    const refusals = { ...api.refusals, change_claims: refusal, private_note: null };
    mountComponent(ClaimSourcing, { props: { api, claim: claimId(7), refusals } });
    await settle();
    for (const id of ["add-source", "add-evidence", "claim-source-role", "claim-source-remove", "evidence-remove", "claim-opinion", "claim-attack"]) {
      const control = q(id) as HTMLButtonElement | HTMLInputElement | HTMLSelectElement;
      expect(control.disabled, id).toBe(true);
      expect(control.title || control.closest("[title]")?.getAttribute("title"), id).toBe(refusal);
    }
    // A lawyer still adds notes, private ones too: those are not changes to the claim.
    expect((q("note-input") as HTMLTextAreaElement).disabled).toBe(false);
    expect((q("note-private-input") as HTMLInputElement).disabled).toBe(false);
  });

  it("passes the draft's refusals to the claim's notes: a reporter writes no private note there", async () => {
    const api = new FakeSourcing();
    const privateRefused = "bo (reporter) may not read private notes here: it needs the editor, standards editor or lawyer role";
    const refusals = { ...api.refusals, private_note: privateRefused };
    mountComponent(ClaimSourcing, { props: { api, claim: claimId(7), refusals } });
    await settle();
    expect((q("note-private-input") as HTMLInputElement).disabled).toBe(true);
    expect((q("add-source") as HTMLButtonElement).disabled).toBe(false);
  });

  it("marks a claim as opinion and keeps a notes thread: add, edit, resolve, reopen", async () => {
    const api = new FakeSourcing();
    mountComponent(ClaimSourcing, { props: { api, claim: claimId(5) } });
    await settle();
    (q("claim-opinion") as HTMLInputElement).click();
    await settle();
    expect(api.opinions.has(5)).toBe(true);

    type("note-input", "Who else was at the meeting?");
    submit("note-form");
    await settle();
    expect(q("note-text")!.textContent).toBe("Who else was at the meeting?");

    q("note-edit")!.click();
    await settle();
    type("note-edit-text", "Who else attended?");
    submit("note-edit-form");
    await settle();
    expect(q("note-text")!.textContent).toBe("Who else attended?");
    expect(q("note")!.textContent).toContain("edited");

    q("note-resolve")!.click();
    await settle();
    expect(q("note-thread")!.dataset.resolved).toBe("true");
    q("note-reopen")!.click();
    await settle();
    expect(q("note-thread")!.dataset.resolved).toBe("false");
  });

  it("marks a claim as an attack on a person and adds a private note", async () => {
    const api = new FakeSourcing();
    mountComponent(ClaimSourcing, { props: { api, claim: claimId(5) } });
    await settle();
    (q("claim-attack") as HTMLInputElement).click();
    await settle();
    expect(api.attacks.has(5)).toBe(true);

    type("note-input", "The source is the minister's brother");
    (q("note-private-input") as HTMLInputElement).click();
    submit("note-form");
    await settle();
    expect(api.notes.at(-1)!.private).toBe(true);
    expect(q("note-private")!.textContent).toContain("private");
    expect((q("note-private-input") as HTMLInputElement).checked).toBe(false);
  });

  it("removes evidence and a source link, and Undo brings each back", async () => {
    const api = new FakeSourcing();
    const known = api.addSourceNow({ descriptor: "Interior ministry statement", kind: "official-statement", notes: "", confidential: null });
    await api.linkSource(claimId(9), known.id, "corroborates");
    await api.addEvidence(claimId(9), { kind: "document", reference: "minutes.pdf", summary: "Minutes", obtained_at: null, independent: true, stance: "supports" });
    const undo = new UndoStack();
    let changed = 0;
    mountComponent(ClaimSourcing, { props: { api, claim: claimId(9), onChanged: () => changed++ }, context: undoContext(undo) });
    await settle();
    expect(all("evidence-item")).toHaveLength(1);

    q("evidence-remove")!.click();
    await settle();
    expect(all("evidence-item")).toHaveLength(0);
    expect(undo.announced?.label).toBe("Evidence removed (document)");

    q("claim-source-remove")!.click();
    await settle();
    expect(all("claim-source")).toHaveLength(0);
    expect(undo.announced?.label).toBe("Interior ministry statement removed from the claim");

    // Last first: the link, then the evidence; the panel reads the claim again after each.
    await undo.undo();
    await settle();
    expect(api.calls).toContain(`restoreSourceLink 9 ${known.id}`);
    expect(q("claim-source")!.dataset.role).toBe("corroborates");
    await undo.undo();
    await settle();
    expect(all("evidence-item")).toHaveLength(1);
    expect(q("evidence-summary")!.textContent).toBe("Minutes");
    expect(changed).toBeGreaterThanOrEqual(4);
  });

  it("undoes a source created while linking by removing exactly that source, and the claim's history shows its link go and come back", async () => {
    const api = new FakeSourcing();
    const known = api.addSourceNow({ descriptor: "a senior Western diplomat", kind: "unnamed", notes: "", confidential: null });
    await api.linkSource(claimId(9), known.id, "corroborates");
    const undo = new UndoStack();
    mountComponent(ClaimSourcing, { props: { api, claim: claimId(9) }, context: undoContext(undo) });
    await settle();

    q("add-source")!.click();
    await settle();
    choose("link-source-pick", "new");
    await settle();
    // The same descriptor as a source the claim already cites: only the id tells them apart.
    type("new-source-descriptor", "a senior Western diplomat");
    submit("link-source-form");
    await settle();
    expect(all("claim-source")).toHaveLength(2);
    const created = api.links.map((l) => l.source.id).reduce((a, b) => (b > a ? b : a));
    expect(created).not.toBe(known.id);
    expect(undo.announced?.label).toBe("a senior Western diplomat added and linked");

    await undo.undo();
    await settle();
    expect(api.calls).toContain(`removeSource ${created} true`);
    expect(api.calls).not.toContain(`removeSource ${known.id} true`);
    expect(api.links.map((l) => l.source.id)).toEqual([known.id]);

    // Brought back (from the Sources view, say): the claim's own history tells both.
    await api.restoreSource(created);
    q("claim-history-toggle")!.click();
    await settle();
    const actions = all("claim-history-entry").map((e) => e.dataset.action);
    expect(actions.slice(-2)).toEqual(["source.remove", "source.restore"]);
    expect(q("claim-history")!.textContent).toContain("Link to a senior Western diplomat removed with the source");
    expect(q("claim-history")!.textContent).toContain("Link to a senior Western diplomat restored with the source");
  });

  it("reads the claim again, once, when it is invalidated elsewhere, keeping a half-filled form", async () => {
    const api = new FakeSourcing();
    let reads = 0;
    const claimSources = api.claimSources.bind(api);
    api.claimSources = (claim: ClaimId) => {
      reads++;
      return claimSources(claim);
    };
    mountComponent(ClaimSourcing, { props: { api, claim: claimId(4) } });
    await settle();
    expect(reads).toBe(1);
    q("add-evidence")!.click();
    await settle();
    type("evidence-summary-input", "Half typed");

    // Another process added evidence; the desk's 'reviewed' event invalidates the review.
    await api.addEvidence(claimId(4), { kind: "document", reference: "", summary: "From the command line", obtained_at: null, independent: false, stance: "supports" });
    invalidate("claim:5");
    await settle();
    expect(all("evidence-item")).toHaveLength(0);
    invalidate("review");
    await settle();
    expect(all("evidence-item")).toHaveLength(1);
    expect((q("evidence-summary-input") as HTMLTextAreaElement).value).toBe("Half typed");
    expect(reads).toBe(2);
  });

  it("keeps a note being edited, and the version it began on, when another person's edit arrives; saving then is refused with theirs", async () => {
    const api = new FakeSourcing();
    const [first] = await api.addNote({ on: "claim", id: claimId(4) }, "Who confirmed the date?", null);
    const pane = mountWithPane(api, claimId(4));
    await settle();
    q("note-edit")!.click();
    await settle();
    type("note-edit-text", "Mine, half typed");

    // Another person edits the same note; the desk's 'reviewed' event invalidates the review.
    await api.editNote(first.id, "Theirs, saved first", first.version);
    invalidate("review");
    pane.selected = { id: claimId(4) };
    await settle();
    expect((q("note-edit-text") as HTMLTextAreaElement | null)?.value).toBe("Mine, half typed");

    submit("note-edit-form");
    await settle();
    expect(q("note-edit-error")!.textContent).toContain("Theirs, saved first");
    expect((q("note-edit-text") as HTMLTextAreaElement).value).toBe("Mine, half typed");
  });

  it("keeps a half-filled evidence form open when the claims pane reads the review again and the claim is the same", async () => {
    const api = new FakeSourcing();
    const pane = mountWithPane(api, claimId(4));
    await settle();
    q("add-evidence")!.click();
    await settle();
    type("evidence-summary-input", "Half typed");

    // Another person's change: the review is read again, and the pane's selected claim is a new view of the same claim.
    invalidate("review");
    pane.selected = { id: claimId(4) };
    await settle();
    expect((q("evidence-summary-input") as HTMLTextAreaElement | null)?.value).toBe("Half typed");

    // Another claim selected: its own sourcing, no form carried over.
    pane.selected = { id: claimId(5) };
    await settle();
    expect(q("evidence-summary-input")).toBeNull();
  });
});

describe("ClaimSourcing's new unnamed source on a desk without a vault", () => {
  async function vaultContextWith(hasVault: boolean) {
    const { VaultSession, vaultContext } = await import("$lib/vault/vault.svelte");
    const status = () => ({ desk: deskId(1), has_vault: hasVault, unlocked: false, idle_minutes: 10, retry_after_seconds: 0, remembered: false, keyring_unavailable: null, idle_minutes_refused: null });
    const vault = new VaultSession({
      vaultStatus: async () => status(),
      unlockVault: async () => status(),
      lockVault: async () => status(),
      setUpVault: async () => "",
      setVaultIdleMinutes: async () => status(),
      onVaultLocked: async () => () => {},
      backUpDatabase: async () => ({ path: "", bytes: 0 }),
      chooseBackupPath: async () => null,
    });
    await vault.refresh();
    return vaultContext(vault);
  }

  async function openNewSourceForm(hasVault: boolean, teamStore: boolean) {
    mountComponent(ClaimSourcing, { props: { api: new FakeSourcing(), claim: claimId(7), teamStore }, context: await vaultContextWith(hasVault) });
    await settle();
    q("add-source")!.click();
    await settle();
    expect(q("new-source-confidential")).not.toBeNull();
  }

  it("says beside the confidential fields, in the Sources view's words, that they are stored unencrypted on the team store's server", async () => {
    await openNewSourceForm(false, true);
    expect(q("new-source-no-vault")!.textContent).toBe("No vault: confidential fields are stored unencrypted on the team store's server");
  });

  it("says it without the server on this computer's file, and not at all once the desk has a vault", async () => {
    await openNewSourceForm(false, false);
    expect(q("new-source-no-vault")!.textContent).toBe("No vault: confidential fields are stored unencrypted");
    document.body.replaceChildren();
    await openNewSourceForm(true, false);
    expect(q("new-source-no-vault")).toBeNull();
  });
});
