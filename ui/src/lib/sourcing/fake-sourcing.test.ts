// The in-memory fake behaves as the core does for removal and restore, so component tests of Undo
// exercise the same refusals and inverses the real commands have; and it gives every two-source verdict
// the core gives, so component tests can show each.

import { describe, expect, it } from "vitest";
import { FakeSourcing } from "./fake-sourcing";
import { claimId, draftId } from "$lib/testing/ids";
import { claimView as claim } from "$lib/testing/claims";

describe("FakeSourcing's two-source verdicts", () => {
  // Every sentence of the core's `verdict` (sourcing/corroboration.rs), so component tests can show each one.
  it("gives each of the core's verdicts: met, not met, does not apply (two ways) and does not apply yet", async () => {
    const api = new FakeSourcing();
    const wording = { kind: "unnamed" as const, from: "wording" as const, cue: "Sources tell" };
    api.claims = [claim(1, "One"), claim(2, "Two"), { ...claim(3, "Three"), attribution: wording }, claim(4, "Four"), claim(5, "Five")];
    const unnamed = api.addSourceNow({ descriptor: "a diplomat", kind: "unnamed", notes: "", confidential: null });
    const statement = api.addSourceNow({ descriptor: "Embassy statement", kind: "official-statement", notes: "", confidential: null });
    await api.linkSource(claimId(2), statement.id, "attributed");
    await api.linkSource(claimId(4), unnamed.id, "attributed");
    await api.linkSource(claimId(5), unnamed.id, "attributed");
    for (const reference of ["photo.jpg", "log.pdf"]) {
      await api.addEvidence(claimId(5), { kind: "document", reference, summary: "seen", obtained_at: null, independent: true, stance: "supports" });
    }
    const verdicts = await Promise.all(
      [1, 2, 3, 4, 5].map(async (id) => {
        const c = await api.claimCorroboration(claimId(id));
        return [c.rule, c.verdict];
      }),
    );
    expect(verdicts).toEqual([
      ["does-not-apply", "Two-source rule does not apply: no source is linked as attributed"],
      ["does-not-apply", "Two-source rule does not apply: attributed to an on-the-record source"],
      ["does-not-apply", "Two-source rule does not apply yet: link the unnamed sources the wording names as attributed"],
      ["not-met", "Two-source rule not met: attributed only to unnamed sources and has 0 independent corroborations of the 2 needed"],
      ["met", "Two-source rule met"],
    ]);
    // The matrix gives the same verdicts, and each claim's attribution as the core does.
    const matrix = await api.sourcingMatrix(draftId(1));
    expect(matrix.rows.map((r) => r.corroboration.verdict)).toEqual(verdicts.map(([, verdict]) => verdict));
    expect(matrix.rows.map((r) => `${r.attribution.kind}/${r.attribution.from}`)).toEqual([
      "none/wording",
      "official-statement/sources",
      "unnamed/wording",
      "unnamed/sources",
      "unnamed/sources",
    ]);
  });
});

describe("FakeSourcing removal and restore", () => {
  it("removes a claim and restores it, once", async () => {
    const api = new FakeSourcing();
    api.claims = [claim(1, "Six workers were injured")];
    await api.removeClaim(claimId(1));
    expect(api.claims).toEqual([]);
    expect((await api.removedClaims(draftId(1))).map((c) => c.id)).toEqual([1]);
    await expect(api.restoreClaim(claimId(1))).resolves.toMatchObject({ id: 1 });
    await expect(api.restoreClaim(claimId(1))).rejects.toMatchObject({ code: "invalid_input" });
  });

  it("refuses to remove a cited source unless with its links, and brings the links back with it", async () => {
    const api = new FakeSourcing();
    const source = api.addSourceNow({ descriptor: "a diplomat", kind: "unnamed", notes: "", confidential: null });
    await api.linkSource(claimId(1), source.id, "attributed");
    await expect(api.removeSource(source.id, false)).rejects.toMatchObject({ code: "source_in_use" });
    await api.removeSource(source.id, true);
    expect(await api.claimSources(claimId(1))).toEqual([]);
    await expect(api.restoreSourceLink(claimId(1), source.id)).rejects.toMatchObject({ code: "invalid_input" });
    await api.restoreSource(source.id);
    expect((await api.claimSources(claimId(1))).map((l) => l.role)).toEqual(["attributed"]);
  });

  it("undoes an unlink, an evidence removal and a thread removal", async () => {
    const api = new FakeSourcing();
    const source = api.addSourceNow({ descriptor: "a diplomat", kind: "unnamed", notes: "", confidential: null });
    await api.linkSource(claimId(1), source.id, "corroborates");
    await api.unlinkSource(claimId(1), source.id);
    expect((await api.restoreSourceLink(claimId(1), source.id)).map((l) => l.role)).toEqual(["corroborates"]);

    const [evidence] = await api.addEvidence(claimId(1), { kind: "url", reference: "https://example.org", summary: "A post", obtained_at: null, independent: true, stance: "supports" });
    expect(await api.removeEvidence(evidence.id)).toEqual([]);
    expect(await api.restoreEvidence(evidence.id)).toEqual([evidence]);

    const target = { on: "claim", id: claimId(1) } as const;
    const [thread] = await api.addNote(target, "Who?", null);
    const notes = await api.addNote(target, "Asked", thread.id);
    expect(await api.removeNote(thread.id)).toEqual([]);
    await expect(api.restoreNote(notes[1].id)).rejects.toMatchObject({ code: "invalid_input" });
    expect(await api.restoreNote(thread.id)).toEqual(notes);
  });

  it("creates and links a new unnamed source with its confidential fields kept apart", async () => {
    const api = new FakeSourcing();
    const fields = { identity: "J. Roe", contact: null, first_hand: true, how_known: null, anonymity_reason: "job", editor_knows: null, approved_by: null };
    const made = await api.linkNewSource(claimId(1), { descriptor: "a plant manager", kind: "unnamed", notes: "", confidential: fields }, "attributed");
    const links = made.links;
    expect(made.source).toBe(links[0].source.id);
    expect(links[0].source.confidential.identity).toBe(true);
    expect(JSON.stringify(links)).not.toContain("J. Roe");
    await expect(api.revealSource(links[0].source.id)).resolves.toMatchObject({ identity: "J. Roe" });
    await expect(api.linkNewSource(claimId(1), { descriptor: "Mayor", kind: "named-person", notes: "", confidential: fields }, "attributed")).rejects.toMatchObject({ code: "invalid_input" });
  });
});
