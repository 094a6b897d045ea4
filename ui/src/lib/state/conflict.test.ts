import { describe, expect, it } from "vitest";
import { IpcError } from "$lib/ipc";
import { changedSince, goneSince, noteChange, saveOnVersion } from "./conflict";
import { formatWhen } from "$lib/claims/claims";

describe("saveOnVersion", () => {
  it("returns the saved value and reads nothing more when the save lands", async () => {
    let reads = 0;
    const result = await saveOnVersion(
      async () => "mine",
      async () => {
        reads += 1;
        return "theirs";
      },
    );
    expect(result).toEqual({ saved: true, value: "mine" });
    expect(reads).toBe(0);
  });

  it("reads theirs when the core refuses a change made on an older version", async () => {
    const result = await saveOnVersion(
      async () => {
        throw { code: "conflict", message: "Bo changed this note since you opened it" };
      },
      async () => ({ text: "theirs", version: 3 }),
    );
    expect(result.saved).toBe(false);
    if (result.saved) return;
    expect(result.refusal.code).toBe("conflict");
    expect(result.refusal.message).toContain("Bo changed");
    expect(result.theirs).toEqual({ text: "theirs", version: 3 });
  });

  it("says theirs is gone when the other person removed it meanwhile", async () => {
    const result = await saveOnVersion(
      async () => Promise.reject(new IpcError("conflict", "changed since")),
      async () => undefined,
    );
    expect(result).toMatchObject({ saved: false, theirs: undefined });
  });

  it("throws any other error as it came, without reading theirs", async () => {
    let reads = 0;
    const refused = saveOnVersion(
      async () => Promise.reject(new IpcError("invalid_input", "the note cannot be empty")),
      async () => {
        reads += 1;
        return "theirs";
      },
    );
    await expect(refused).rejects.toMatchObject({ code: "invalid_input" });
    expect(reads).toBe(0);
  });
});

describe("the refusal as the window says it", () => {
  const at = "2026-12-01T16:19:52Z";

  it("names the thing, who changed it and when in the reviewer's own time, and what it reads now: no id, no UTC stamp", () => {
    const refusal = changedSince("note", { by: "ana", at, now: "Ask the clerk." });
    expect(refusal.code).toBe("conflict");
    expect(refusal.message).toBe(
      `This note was changed by ana at ${formatWhen(at)} since you opened it; it now reads “Ask the clerk.” ` +
        "Yours is kept here: Save puts it over theirs, Cancel keeps theirs.",
    );
    expect(refusal.message).not.toContain("2026-12-01T");
  });

  it("ends the sentence after the quote only when the text read does not end one itself (teamtry P5)", () => {
    expect(changedSince("source", { by: "ana", at, now: "a clerk" }).message).toContain("it now reads “a clerk”. Yours");
    for (const ending of ["?", "!", "…", ".)"]) {
      expect(changedSince("note", { by: "ana", at, now: `Who said so${ending}` }).message).toContain(
        `it now reads “Who said so${ending}” Yours`,
      );
    }
    expect(changedSince("note", { by: "ana", at, now: "Ask the clerk.  " }).message).toContain("“Ask the clerk.  ” Yours");
  });

  it("says a source was changed, and a thing removed meanwhile is said to be gone", () => {
    expect(changedSince("source", { by: "ana", at, now: "a clerk" }).message).toMatch(/^This source was changed by ana at .+ since you opened it/);
    expect(goneSince("note").message).toBe("This note was removed since you opened it; yours was not saved.");
  });

  it("reads who changed a note last and when: its last editor, or its author when never edited", () => {
    const note = { author: "bo", created_at: "2026-11-01T10:00:00Z", edited_at: null, history: [], text: "t" };
    expect(noteChange(note)).toEqual({ by: "bo", at: "2026-11-01T10:00:00Z", now: "t" });
    const edited = { ...note, edited_at: at, history: [{ text: "before", edited_by: "ana", edited_at: at }] };
    expect(noteChange(edited)).toEqual({ by: "ana", at, now: "t" });
  });
});
