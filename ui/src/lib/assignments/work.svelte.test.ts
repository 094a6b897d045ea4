import { describe, expect, it } from "vitest";
import type { AssignedWork, InboxEntry } from "$lib/ipc";
import { WorkState } from "./work.svelte";
import { assignmentId, claimId, draftId, inboxId } from "$lib/testing/ids";

const entry: InboxEntry = {
  id: inboxId(4),
  kind: "mention",
  claim: claimId(7),
  draft: draftId(2),
  draft_path: "story.txt",
  draft_title: "Fire at the plant",
  quote: "Six workers were injured",
  note: "@ben the manager's name?",
  due: null,
  from: "ana",
  at: "2026-12-01T09:00:00Z",
  read: false,
};

const overdue: AssignedWork = {
  id: assignmentId(1),
  claim: claimId(7),
  draft: draftId(2),
  draft_path: "story.txt",
  draft_title: "Fire at the plant",
  quote: "Six workers were injured",
  due: "2026-11-30",
  overdue: true,
  assigned_by: "ana",
  assigned_at: "2026-11-29T09:00:00Z",
};

describe("the reviewer's work", () => {
  it("loads both lists, counts unread and overdue, and marks an opened entry read once", async () => {
    const marked: number[] = [];
    const work = new WorkState({
      assignedToMe: async () => [overdue],
      inbox: async () => [entry],
      markInboxRead: async (id: number) => {
        marked.push(id);
        return null;
      },
    });
    await work.load();
    expect([work.unread, work.overdue]).toEqual([1, 1]);
    await work.markRead(work.inbox[0]);
    await work.markRead(work.inbox[0]);
    expect(marked).toEqual([4]);
    expect(work.unread).toBe(0);
  });

  it("marks every unread entry on the claim opened read (its assignment and a mention), not those on other claims", async () => {
    const marked: number[] = [];
    const assigned: InboxEntry = { ...entry, id: inboxId(5), kind: "assignment", note: null, due: "2026-12-03" };
    const elsewhere: InboxEntry = { ...entry, id: inboxId(6), claim: claimId(8) };
    const onTheDraft: InboxEntry = { ...entry, id: inboxId(7), claim: null, kind: "assignment", note: null };
    const work = new WorkState({
      assignedToMe: async () => [],
      inbox: async () => [assigned, entry, elsewhere, onTheDraft],
      markInboxRead: async (id: number) => {
        marked.push(id);
        return null;
      },
    });
    await work.load();
    await work.markRead(work.inbox[0]);
    expect(marked.sort()).toEqual([4, 5]);
    expect(work.inbox.map((e) => e.read)).toEqual([true, true, false, false]);
    expect(work.unread).toBe(2);
    // A whole-draft entry reads only itself.
    await work.markRead(work.inbox[3]);
    expect(marked.sort()).toEqual([4, 5, 7]);
  });

  it("keeps the newest answer when loads overlap", async () => {
    let answers = [[entry], []];
    const work = new WorkState({
      assignedToMe: async () => [],
      inbox: () => {
        const answer = answers.shift() ?? [];
        return new Promise((resolve) => setTimeout(() => resolve(answer), answer.length ? 20 : 0));
      },
      markInboxRead: async () => null,
    });
    await Promise.all([work.load(), work.load()]);
    expect(work.inbox).toEqual([]);
    answers = [];
  });
});
