// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { mountOnPage, settleTicks, byTestId, typeInto } from "../../tests/dom";
import { IpcError, type AssignmentTarget, type DeskPerson } from "$lib/ipc";
import { invalidate } from "$lib/state/invalidation";
import ClaimAssignment from "./ClaimAssignment.svelte";
import { claimId } from "$lib/testing/ids";

const mountComponent = mountOnPage();
const settle = settleTicks;
const q = byTestId;

describe("ClaimAssignment", () => {
  it("keeps a half-filled assignment form open when the claims pane reads the review again and the claim is the same", async () => {
    let reads = 0;
    const api = {
      assignmentOf: async () => {
        reads++;
        return null;
      },
      assign: async () => {
        throw new Error("not in this test");
      },
      unassign: async () => {
        throw new Error("not in this test");
      },
    };
    // As the claims pane passes it: the id of the selected claim's view, which each reload of the review replaces.
    const pane = $state({ selected: { id: claimId(4) } });
    mountComponent(ClaimAssignment, {
      props: {
        api,
        get claim() {
          return pane.selected.id;
        },
      },
    });
    await settle();
    q("assign-open")!.click();
    await settle();
    const to = q("assign-to") as HTMLInputElement;
    to.value = "ben";
    to.dispatchEvent(new Event("input"));

    // Another person's change: the review is read again, and the pane's selected claim is a new view of the same claim.
    invalidate("review");
    pane.selected = { id: claimId(4) };
    await settle();
    expect((q("assign-to") as HTMLInputElement | null)?.value).toBe("ben");
    expect(reads).toBe(2);

    // Another claim: its own assignment, the form closed.
    pane.selected = { id: claimId(5) };
    await settle();
    expect(q("assign-to")).toBeNull();
  });

  /** An assignment API on a desk with `people` (none: a desk without people), refusing as the core does. */
  function desk(people: DeskPerson[]) {
    const assigned: string[] = [];
    const api = {
      assignmentOf: async () => null,
      assign: async (target: AssignmentTarget, to: string, due: string | null) => {
        if (people.length > 0 && !people.some((person) => person.name === to)) {
          throw new IpcError("not_found", `"${to}" is not a person on this desk`);
        }
        assigned.push(`${to} ${due}`);
        return { id: 1, assignee: to, due, overdue: false } as never;
      },
      unassign: async () => null,
      deskPeople: async () => people,
    };
    return { api, assigned };
  }

  it("offers the desk's people with their roles rather than any typed name", async () => {
    const { api, assigned } = desk([
      { name: "bo", role: "reporter" },
      { name: "eve", role: "editor" },
    ]);
    mountComponent(ClaimAssignment, { props: { api, claim: claimId(4) } });
    await settle();
    q("assign-open")!.click();
    await settle();
    const to = q("assign-to") as HTMLSelectElement;
    expect(to.tagName).toBe("SELECT");
    const offered = [...to.options].filter((option) => !option.disabled).map((option) => option.textContent);
    expect(offered).toEqual(["bo (reporter)", "eve (editor)"]);
    to.value = "bo";
    to.dispatchEvent(new Event("change"));
    await settle();
    (q("assign-save") as HTMLButtonElement).click();
    await settle();
    expect(assigned).toEqual(["bo null"]);
  });

  it("says the core's refusal of a name not on the desk in the form, beside Assign, and keeps the form open", async () => {
    const { api } = desk([{ name: "bo", role: "reporter" }]);
    // Reassigning a claim held by someone since taken off the desk: the name is shown, and refused if kept.
    api.assignmentOf = async () => ({ id: 1, assignee: "bob", due: null, overdue: false }) as never;
    const errors: unknown[] = [];
    mountComponent(ClaimAssignment, { props: { api, claim: claimId(4), onError: (e: unknown) => errors.push(e) } });
    await settle();
    q("assign-open")!.click();
    await settle();
    expect((q("assign-to") as HTMLSelectElement).value).toBe("bob");
    (q("assign-save") as HTMLButtonElement).click();
    await settle();
    expect(q("assign-error")?.textContent).toContain('"bob" is not a person on this desk');
    expect(q("assign-to")).not.toBeNull();
    expect(errors).toEqual([]);
  });

  it("keeps a free-text name on a desk without people", async () => {
    const { api, assigned } = desk([]);
    mountComponent(ClaimAssignment, { props: { api, claim: claimId(4) } });
    await settle();
    q("assign-open")!.click();
    await settle();
    expect(q("assign-to")!.tagName).toBe("INPUT");
    typeInto("assign-to", "ben");
    await settle();
    (q("assign-save") as HTMLButtonElement).click();
    await settle();
    expect(assigned).toEqual(["ben null"]);
  });

  it("shows an empty due date as \"No due date\", not as a greyed date that looks filled in", async () => {
    const { api, assigned } = desk([]);
    mountComponent(ClaimAssignment, { props: { api, claim: claimId(4) } });
    await settle();
    q("assign-open")!.click();
    await settle();
    expect(q("assign-due")).toBeNull();
    expect(q("assign-no-due")?.textContent).toBe("No due date");
    q("assign-set-due")!.click();
    await settle();
    expect(document.activeElement).toBe(q("assign-due"));
    typeInto("assign-due", "2026-12-24");
    typeInto("assign-to", "ben");
    await settle();
    (q("assign-save") as HTMLButtonElement).click();
    await settle();
    expect(assigned).toEqual(["ben 2026-12-24"]);
  });
});
