// The reviewer's own work on the open desk: what is assigned to them and their inbox, read again whenever the
// review changes (here, in another window or from the command line: the desk-wide tags).
import type { AssignedWork, AssignmentApi, InboxEntry } from "$lib/ipc";
import { Loader } from "$lib/state/loader.svelte";
import { DESK_TAGS } from "$lib/state/invalidation";
import { overdueCount, unreadCount } from "./assignments";

type Work = { assigned: AssignedWork[]; inbox: InboxEntry[] };

export class WorkState {
  readonly #api: Pick<AssignmentApi, "assignedToMe" | "inbox" | "markInboxRead">;
  /** Both lists, read together; only the answer to the latest read is kept (the loader's guard). */
  readonly #lists: Loader<null, Work>;

  constructor(api: Pick<AssignmentApi, "assignedToMe" | "inbox" | "markInboxRead">) {
    this.#api = api;
    this.#lists = new Loader(
      async () => {
        const [assigned, inbox] = await Promise.all([api.assignedToMe(), api.inbox()]);
        return { assigned, inbox };
      },
      { tags: () => [...DESK_TAGS] },
    );
  }

  get assigned(): AssignedWork[] {
    return this.#lists.value?.assigned ?? [];
  }

  get inbox(): InboxEntry[] {
    return this.#lists.value?.inbox ?? [];
  }

  /** Why the last read failed, or null. */
  get error() {
    return this.#lists.error;
  }

  get unread(): number {
    return unreadCount(this.inbox);
  }

  get overdue(): number {
    return overdueCount(this.assigned);
  }

  /** Reads both lists again. */
  load(): Promise<void> {
    return this.#lists.load(null);
  }

  /**
   * Opening an entry reads it, and every other unread entry on the same claim (its assignment and its mentions):
   * the claim opened is what they all point to. The core marks one entry per call.
   */
  async markRead(entry: InboxEntry): Promise<void> {
    const onSameClaim = (other: InboxEntry) => other.id === entry.id || (entry.claim !== null && other.claim === entry.claim);
    const unread = [entry, ...this.inbox.filter((other) => other.id !== entry.id && onSameClaim(other))].filter((e) => !e.read);
    const read = new Set<InboxEntry["id"]>();
    try {
      for (const each of unread) {
        await this.#api.markInboxRead(each.id);
        read.add(each.id);
      }
    } finally {
      const lists = this.#lists.value;
      if (lists && read.size > 0) this.#lists.set({ ...lists, inbox: lists.inbox.map((e) => (read.has(e.id) ? { ...e, read: true } : e)) });
    }
  }

  /** Stops reading again on invalidations (a WorkState made outside a component's start). */
  dispose(): void {
    this.#lists.dispose();
  }
}
