// @vitest-environment jsdom
import { afterEach, describe, expect, it } from "vitest";
import { flushSync, mount, unmount } from "svelte";
import type { AnchorResolution, ClaimStatus, ClaimView, DraftRefusals } from "$lib/ipc";
import { countByStatus, formatWhen } from "$lib/claims/claims";
import type { StatusConflict } from "$lib/desk/desk-session.svelte";
import ClaimsPane from "./ClaimsPane.svelte";
import { claimId, draftId } from "$lib/testing/ids";

function claimView(id: number, quote: string, overrides: Partial<ClaimView> = {}): ClaimView {
  return {
    id: claimId(id),
    draft: draftId(1),
    status: "needs-corroboration",
    quote,
    original_quote: quote,
    start: id * 10,
    end: id * 10 + 5,
    anchor: { state: "anchored", confidence: 1, candidates: [] },
    needs_attention: false,
    attribution: { kind: "none", from: "wording", cue: null },
    created_by: "amina",
    created_at: "2026-11-29T06:00:00Z",
    updated_by: "jon",
    updated_at: "2026-11-29T07:30:00Z",
    version: 1,
    ...overrides,
  };
}

let mounted: Record<string, unknown> | null = null;

afterEach(() => {
  if (mounted) unmount(mounted);
  mounted = null;
  document.body.replaceChildren();
});

function render(
  claims: ClaimView[],
  selectedId: number | null,
  extra: { canReattach?: boolean; statusConflict?: StatusConflict; refusals?: DraftRefusals; onRemove?: (id: number) => void } = {},
) {
  const picked: number[] = [];
  const statuses: [number, ClaimStatus][] = [];
  const resolved: [number, AnchorResolution | "reattach"][] = [];
  mounted = mount(ClaimsPane, {
    target: document.body,
    props: {
      ...extra,
      blocks: [{ kind: "paragraph" as const, level: 0, start: 0, end: 14, text: "Said 🐘 he said" }],
      onResolve: (id: number, resolution: AnchorResolution) => resolved.push([id, resolution]),
      onReattach: (id: number) => resolved.push([id, "reattach"]),
      claims,
      counts: countByStatus(claims),
      selected: claims.find((c) => c.id === selectedId) ?? null,
      onSelect: (id: number) => picked.push(id),
      onSetStatus: (id: number, status: ClaimStatus) => statuses.push([id, status]),
    },
  });
  flushSync();
  return { picked, statuses, resolved };
}

const all = (testid: string) => [...document.querySelectorAll<HTMLElement>(`[data-testid="${testid}"]`)];
const q = (testid: string) => document.querySelector<HTMLElement>(`[data-testid="${testid}"]`);

describe("ClaimsPane for a person whose role may not change the draft's claims", () => {
  it("disables the status and Remove claim with the core's refusal, and says it where the keys are (teamtry C4)", () => {
    const refusal = "lou (lawyer) may not change claims here: it needs the editor or standards editor role, or to be the draft's reporter";
    const refusals: DraftRefusals = {
      mark_ready: null,
      move_draft: null,
      override_finding: null,
      editor_note: null,
      add_note: null,
      private_note: null,
      change_claims: refusal,
    };
    const claims = [claimView(1, "the minister")];
    const removed: number[] = [];
    render(claims, 1, { refusals, onRemove: (id) => removed.push(id) });
    const status = q("claim-status") as HTMLSelectElement;
    expect(status.disabled).toBe(true);
    expect(status.title).toBe(refusal);
    const remove = q("claim-remove") as HTMLButtonElement;
    expect(remove.disabled).toBe(true);
    expect(remove.title).toBe(refusal);
    expect(q("claims-refused")!.textContent).toBe(refusal);
  });

  it("leaves them to whoever may", () => {
    render([claimView(1, "the minister")], 1, { onRemove: () => {} });
    expect((q("claim-status") as HTMLSelectElement).disabled).toBe(false);
    expect((q("claim-remove") as HTMLButtonElement).disabled).toBe(false);
    expect(q("claims-refused")).toBeNull();
  });
});

describe("ClaimsPane", () => {
  const claims = [
    claimView(1, "<b>50 billion</b>", { status: "disputed" }),
    claimView(2, "on 12 March", { needs_attention: true, anchor: { state: "fuzzy", confidence: 0.62, candidates: [] }, original_quote: "on 11 March" }),
    claimView(3, "sources said", { needs_attention: true, start: null, end: null, anchor: { state: "ambiguous", confidence: 0, candidates: [{ start: 1, end: 5, score: 0.9 }, { start: 9, end: 13, score: 0.9 }] } }),
    claimView(4, "the minister", { anchor: { state: "fuzzy", confidence: 0.93, candidates: [] } }),
  ];

  it("counts claims by status and lists them with their state", () => {
    render(claims, null);
    expect(q("claims-pane")).not.toBeNull();
    expect(all("claim-count").map((li) => [li.dataset.status, li.querySelector("b")!.textContent])).toEqual([
      ["needs-corroboration", "3"],
      ["corroborated", "0"],
      ["disputed", "1"],
      ["unverifiable", "0"],
      ["cleared", "0"],
    ]);
    const items = all("claim-item");
    expect(items.map((item) => [item.dataset.claimId, item.dataset.status, item.dataset.anchorState])).toEqual([
      ["1", "disputed", "anchored"],
      ["2", "needs-corroboration", "fuzzy"],
      ["3", "needs-corroboration", "ambiguous"],
      ["4", "needs-corroboration", "fuzzy"],
    ]);
    // Quotes are draft text: shown, never parsed.
    expect(items[0].textContent).toContain("<b>50 billion</b>");
    expect(document.querySelector("[data-testid='claims-pane'] b:not(.counts b)")).toBeNull();
    expect(q("claim-inspector")).toBeNull();
  });

  // usertest F7: with a claim selected the five counts, one a line, took most of the room above the inspector,
  // and only 1½ to 3 claims of the list showed. Selected, they fold into one row; each number keeps its status's
  // name for a screen reader and in its tooltip.
  it("folds the counts into one row while a claim is selected, each still named", () => {
    render(claims, null);
    expect(q("claim-counts")!.dataset.compact).toBe("false");
    if (mounted) unmount(mounted);
    document.body.replaceChildren();
    render(claims, 1);
    expect(q("claim-counts")!.dataset.compact).toBe("true");
    const disputed = all("claim-count").find((li) => li.dataset.status === "disputed")!;
    expect(disputed.title).toBe("Disputed: 1");
    expect(disputed.querySelector(".visually-hidden")!.textContent).toBe("Disputed");
    expect(disputed.textContent!.replace(/\s+/g, " ").trim()).toBe("Disputed1");
  });

  it("badges the claims the core flags as needing attention", () => {
    render(claims, null);
    const flagged = all("claim-item").filter((item) => item.querySelector('[data-testid="claim-attention"]')).map((item) => item.dataset.claimId);
    expect(flagged).toEqual(["2", "3"]);
  });

  it("selects a claim when it is clicked", () => {
    const { picked } = render(claims, null);
    all("claim-item")[2].click();
    expect(picked).toEqual([3]);
  });

  it("inspects the selected claim and changes its status", () => {
    const { statuses } = render(claims, 2);
    const inspector = q("claim-inspector")!;
    expect(inspector.dataset.claimId).toBe("2");
    expect(q("claim-quote")!.textContent).toBe("on 12 March");
    expect(q("claim-original-quote")!.textContent).toBe("on 11 March");
    expect(q("claim-anchor")!.textContent).toContain("Fuzzy match");
    expect(q("claim-anchor")!.textContent).toContain("62 %");
    expect(q("claim-created")!.textContent).toContain("amina");
    expect(q("claim-updated")!.textContent).toContain("jon");
    expect(all("claim-item")[1].getAttribute("aria-current")).toBe("true");

    const select = q("claim-status") as unknown as HTMLSelectElement;
    expect(select.value).toBe("needs-corroboration");
    select.value = "corroborated";
    select.dispatchEvent(new Event("change", { bubbles: true }));
    expect(statuses).toEqual([[2, "corroborated"]]);
  });

  it("says who set the status someone changed meanwhile, and when in local time", () => {
    const at = "2026-12-01T16:19:52Z";
    const claim = claimView(1, "Said", { status: "disputed" });
    const statusConflict = { claim: claim.id, mine: "corroborated", theirs: "disputed", by: "ana", at, message: "" } as const;
    render([claim], 1, { statusConflict });
    const said = document.querySelector('[data-testid="status-conflict"] p')!.textContent!.replace(/\s+/g, " ").trim();
    expect(said).toBe(`ana set this claim to Disputed at ${formatWhen(at)} while you were choosing Corroborated; yours was not saved.`);
  });

  it("shows an ambiguous claim's candidates count and hides the original quote when unchanged", () => {
    render(claims, 3);
    expect(q("claim-anchor")!.textContent).toContain("2 possible places");
    expect(q("claim-original-quote")).toBeNull();
  });

  it("explains how to tag when there are no claims", () => {
    render([], null);
    expect(q("claims-empty")!.textContent).toContain("Select a sentence");
    expect(all("claim-item")).toHaveLength(0);
  });

  it("offers to accept a weak fuzzy match, re-attach or keep it detached", () => {
    const { resolved } = render(claims, 2);
    expect(all("attention-choose")).toHaveLength(0);
    expect((q("attention-reattach") as HTMLButtonElement).disabled).toBe(true);
    q("attention-accept")!.click();
    q("attention-keep-detached")!.click();
    expect(resolved).toEqual([
      [2, { action: "accept" }],
      [2, { action: "keep-detached" }],
    ]);
  });

  it("shows an ambiguous claim's candidates with their text and chooses one", () => {
    const { resolved } = render(claims, 3, { canReattach: true });
    expect(q("attention-accept")).toBeNull();
    expect(all("attention-choose").map((b) => b.querySelector(".candidate-text")!.textContent)).toEqual(["aid ", " sai"]);
    all("attention-choose")[1].click();
    q("attention-reattach")!.click();
    expect(resolved).toEqual([
      [3, { action: "choose", start: 9, end: 13 }],
      [3, "reattach"],
    ]);
  });

  it("offers no actions for a claim that needs no attention", () => {
    render(claims, 4);
    expect(q("attention-actions")).toBeNull();
  });
});
