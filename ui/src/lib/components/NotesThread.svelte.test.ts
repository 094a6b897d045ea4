// @vitest-environment jsdom
import { afterEach, describe, expect, it } from "vitest";
import { flushSync, mount, unmount } from "svelte";
import { byTestId, settle } from "../../tests/dom";
import { FakeSourcing } from "$lib/sourcing/fake-sourcing";
import NotesThread from "./NotesThread.svelte";
import { draftId } from "$lib/testing/ids";
import { formatWhen } from "$lib/claims/claims";

let mounted: Record<string, unknown> | null = null;
afterEach(() => {
  if (mounted) unmount(mounted);
  mounted = null;
  document.body.replaceChildren();
});

const q = byTestId;

describe("NotesThread", () => {
  it("keeps an edit someone overtook meanwhile, says so, and Save reapplies it over theirs", async () => {
    const api = new FakeSourcing();
    const target = { on: "draft", id: draftId(1) } as const;
    const [note] = await api.addNote(target, "Call the press office", null);
    mounted = mount(NotesThread, { target: document.body, props: { api, target } });
    await settle();

    q("note-edit")!.click();
    flushSync();
    const box = q("note-edit-text") as HTMLTextAreaElement;
    box.value = "Call the press office before noon";
    box.dispatchEvent(new Event("input"));
    // Someone else edits the same note first.
    await api.editNote(note.id, "Press office called: no comment", note.version);

    q("note-edit-form")!.dispatchEvent(new SubmitEvent("submit", { cancelable: true }));
    await settle();
    // Said as the window says things: which thing, who and when in local time, what it reads now; no id, no UTC.
    // Said beside the note being edited, under its Save and Cancel (not under the new-note form at the
    // thread's foot, out of sight in a long inspector: usertest F2).
    const said = q("note-edit-form")!.querySelector('[data-testid="note-edit-error"]')!.textContent!;
    expect(q("notes-error")).toBeNull();
    expect(said).toContain(`This note was changed by Amina at ${formatWhen(api.notes[0].edited_at!)} since you opened it`);
    expect(said).toContain("Press office called: no comment");
    expect(said).not.toMatch(/note \d|\d{4}-\d\d-\d\dT/);
    expect((q("note-edit-text") as HTMLTextAreaElement).value).toBe("Call the press office before noon");
    expect(api.notes.find((n) => n.id === note.id)!.text).toBe("Press office called: no comment");

    q("note-edit-form")!.dispatchEvent(new SubmitEvent("submit", { cancelable: true }));
    await settle();
    expect(q("note-edit-form")).toBeNull();
    expect(api.notes.find((n) => n.id === note.id)!.text).toBe("Call the press office before noon");
    expect(q("note-text")!.textContent).toBe("Call the press office before noon");
  });

  it("names who edited a note when it was not its author, so one person's words never read as another's (teamtry C3)", async () => {
    const api = new FakeSourcing();
    const target = { on: "draft", id: draftId(1) } as const;
    await api.addNote(target, "@bo can you get a second source?", null);
    await api.addNote(target, "Ask the embassy", null);
    const [note, own] = api.notes.map((n) => ({ ...n }));
    // Amina wrote both; bo edits the first, Amina her own second.
    await api.editNote(note.id, "@bo can you get a second source? Asking the ministry today.", note.version);
    api.notes.find((n) => n.id === note.id)!.history[0].edited_by = "bo";
    await api.editNote(own.id, "Ask the embassy's press office", own.version);
    mounted = mount(NotesThread, { target: document.body, props: { api, target } });
    await settle();
    const metas = [...document.querySelectorAll('[data-testid="note"] .meta')].map((m) => m.textContent!.replace(/\s+/g, " "));
    expect(metas[0]).toContain("Amina");
    expect(metas[0]).toContain("edited by bo");
    expect(metas[1]).toContain("edited");
    expect(metas[1]).not.toContain("edited by");
  });

  it("says who reads a private note: the editors, the standards editors and the lawyer (rights: ReadPrivateNotes)", async () => {
    const api = new FakeSourcing();
    const target = { on: "draft", id: draftId(1) } as const;
    await api.addNote(target, "The source is the minister's brother", null, true);
    mounted = mount(NotesThread, { target: document.body, props: { api, target } });
    await settle();
    const choice = q("note-private-input")!.closest("label")!.textContent!.replace(/\s+/g, " ").trim();
    expect(choice).toBe("Private (read by editors, standards editors and the lawyer; never in a desk report)");
    expect(q("note-private")!.title).toBe("Read by editors, standards editors and the lawyer; never in a desk report");
  });

  it("puts the focus in the note's text when Edit opens it, so typing never reaches the window's keys", async () => {
    const api = new FakeSourcing();
    const target = { on: "draft", id: draftId(1) } as const;
    await api.addNote(target, "Call the press office", null);
    mounted = mount(NotesThread, { target: document.body, props: { api, target } });
    await settle();

    q("note-edit")!.click();
    flushSync();
    expect(document.activeElement).toBe(q("note-edit-text"));
  });

  it("says a failed edit's reason beside that note, and Cancel takes it away with the edit", async () => {
    const api = new FakeSourcing();
    const target = { on: "draft", id: draftId(1) } as const;
    const [note] = await api.addNote(target, "Call the press office", null);
    mounted = mount(NotesThread, { target: document.body, props: { api, target } });
    await settle();

    q("note-edit")!.click();
    flushSync();
    await api.editNote(note.id, "Press office called", note.version);
    q("note-edit-form")!.dispatchEvent(new SubmitEvent("submit", { cancelable: true }));
    await settle();
    expect(q("note-edit-error")).not.toBeNull();

    [...document.querySelectorAll<HTMLButtonElement>('[data-testid="note-edit-form"] button')].find((b) => b.textContent === "Cancel")!.click();
    flushSync();
    expect(q("note-edit-form")).toBeNull();
    expect(q("note-edit-error")).toBeNull();
    expect(q("notes-error")).toBeNull();
  });
});
