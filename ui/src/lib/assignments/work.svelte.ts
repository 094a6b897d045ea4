// The reviewer's own work on the open desk: what is assigned to them and their inbox, read again whenever the
// review changes (here, in another window or from the command line).
import type { AssignedWork, AssignmentApi, InboxEntry } from "$lib/ipc";
import { overdueCount, unreadCount } from "./assignments";

export class WorkState {
  assigned = $state<AssignedWork[]>([]);
  inbox = $state<InboxEntry[]>([]);
  #asked = 0;
  readonly #api: Pick<AssignmentApi, "assignedToMe" | "inbox" | "markInboxRead">;

  constructor(api: Pick<AssignmentApi, "assignedToMe" | "inbox" | "markInboxRead">) {
    this.#api = api;
  }

  get unread(): number {
    return unreadCount(this.inbox);
  }

  get overdue(): number {
    return overdueCount(this.assigned);
  }

  /** Reads both lists again; an answer overtaken by a later load is dropped. */
  async load(): Promise<void> {
    const mine = ++this.#asked;
    const [assigned, inbox] = await Promise.all([this.#api.assignedToMe(), this.#api.inbox()]);
    if (mine !== this.#asked) return;
    this.assigned = assigned;
    this.inbox = inbox;
  }

  /** Opening an entry reads it. */
  async markRead(entry: InboxEntry): Promise<void> {
    if (entry.read) return;
    await this.#api.markInboxRead(entry.id);
    this.inbox = this.inbox.map((e) => (e.id === entry.id ? { ...e, read: true } : e));
  }
}
