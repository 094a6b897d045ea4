// The state of a component's one-at-a-time actions: whether one is under way (to disable its
// buttons) and what the last one's failure said.

import { toIpcError } from "$lib/ipc";

export class Pending {
  busy = $state(false);
  error = $state<string | null>(null);

  /** Runs `work`, keeping `busy` set meanwhile and putting its failure's message in `error`. */
  async run(work: () => Promise<void>): Promise<void> {
    this.busy = true;
    this.error = null;
    try {
      await work();
    } catch (e) {
      this.error = errorMessage(e);
    } finally {
      this.busy = false;
    }
  }
}

/** What a failed call says, whether it came from our commands, Tauri or JavaScript. */
export function errorMessage(error: unknown): string {
  return toIpcError(error).message;
}
