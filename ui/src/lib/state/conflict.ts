// No silent overwrite: a note, a source, a claim's status and the editor's note are saved with the version the
// reviewer's change was made on, and the core refuses it (`conflict`) when someone saved since. Each panel then
// shows theirs and offers *Reapply mine* (save again on their version) or *Keep theirs* (drop the reviewer's
// text). This is the one place that tells a refusal from any other error and reads theirs.
import { IpcError, toIpcError, type NoteView } from "$lib/ipc";
import { actorName, formatWhen } from "$lib/claims/claims";

/** A versioned save's outcome: saved (with the core's answer), or refused with theirs as it is now. */
export type VersionedSave<Saved, Theirs> =
  | { saved: true; value: Saved }
  /** `theirs` is undefined when it is gone meanwhile (removed by the other person). */
  | { saved: false; refusal: IpcError; theirs: Theirs | undefined };

/**
 * Runs `save`; when the core refuses it because someone saved since, reads theirs with `readTheirs` and returns
 * both instead of throwing. Any other error is thrown as it came.
 */
export async function saveOnVersion<Saved, Theirs>(
  save: () => Promise<Saved>,
  readTheirs: () => Promise<Theirs | undefined>,
): Promise<VersionedSave<Saved, Theirs>> {
  try {
    return { saved: true, value: await save() };
  } catch (e) {
    const refusal = toIpcError(e);
    if (refusal.code !== "conflict") throw e;
    return { saved: false, refusal, theirs: await readTheirs() };
  }
}

/** What a refused change ran into: who changed the thing last, when (RFC 3339, UTC), and what it reads now. */
export type Overtaken = { by: string; at: string; now: string };

/**
 * The refusal as the window says things: the thing ("This note"), who changed it and when in the reviewer's local
 * time (as every date in the window), what it reads now, and what the panel's buttons do (`choices`). The core's own message is the command line's, with
 * ids and UTC stamps a script wants and a reviewer does not; the panel has theirs at hand, so it says it itself.
 */
export function changedSince(
  thing: "note" | "source",
  overtaken: Overtaken,
  choices = "Save puts it over theirs, Cancel keeps theirs.",
): IpcError {
  return new IpcError(
    "conflict",
    `This ${thing} was changed by ${actorName(overtaken.by)} at ${formatWhen(overtaken.at)} since you opened it; ` +
      `it now reads “${overtaken.now}”${endsSentence(overtaken.now) ? "" : "."} Yours is kept here: ${choices}`,
  );
}

/** Whether `text` ends a sentence itself (a full stop, question or exclamation mark, an ellipsis, maybe closed by
 *  a quote or bracket): then the quote that shows it needs no full stop of its own after it (“today.”. reads as a slip). */
function endsSentence(text: string): boolean {
  return /[.!?…]["'”’)\]]*\s*$/u.test(text);
}

/** The refusal when the thing was removed meanwhile (nothing of theirs to show). */
export function goneSince(thing: "note" | "source" | "claim"): IpcError {
  return new IpcError("conflict", `This ${thing} was removed since you opened it; yours was not saved.`);
}

/** Who last changed a note and when, as the core reads it for a conflict: its last editor, else its author. */
export function noteChange(note: Pick<NoteView, "author" | "created_at" | "edited_at" | "history" | "text">): Overtaken {
  const last = note.history.at(-1);
  return { by: last?.edited_by ?? note.author, at: note.edited_at ?? note.created_at, now: note.text };
}
