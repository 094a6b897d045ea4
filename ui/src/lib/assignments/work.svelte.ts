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

  /** Opening an entry reads it. */
  async markRead(entry: InboxEntry): Promise<void> {
    if (entry.read) return;
    await this.#api.markInboxRead(entry.id);
    const lists = this.#lists.value;
    if (lists) this.#lists.set({ ...lists, inbox: lists.inbox.map((e) => (e.id === entry.id ? { ...e, read: true } : e)) });
  }

  /** Stops reading again on invalidations (a WorkState made outside a component's start). */
  dispose(): void {
    this.#lists.dispose();
  }
}
