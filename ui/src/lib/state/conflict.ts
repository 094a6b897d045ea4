// No silent overwrite: a note, a source, a claim's status and the editor's note are saved with the version the
// reviewer's change was made on, and the core refuses it (`conflict`) when someone saved since. Each panel then
// shows theirs and offers *Reapply mine* (save again on their version) or *Keep theirs* (drop the reviewer's
// text). This is the one place that tells a refusal from any other error and reads theirs.
import { toIpcError, type IpcError } from "$lib/ipc";

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
