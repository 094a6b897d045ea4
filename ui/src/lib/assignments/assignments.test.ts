import { describe, expect, it } from "vitest";
import type { AssignedWork, InboxEntry } from "$lib/ipc";
import { dueText, inboxSentence, openTarget, overdueCount, unreadCount } from "./assignments";
import { assignmentId, claimId, draftId, inboxId } from "$lib/testing/ids";

function entry(overrides: Partial<InboxEntry> = {}): InboxEntry {
  return {
    id: inboxId(1),
    kind: "assignment",
    claim: claimId(7),
    draft: draftId(2),
    draft_path: "story.txt",
    draft_title: "Fire at the plant",
    quote: "Six workers were injured",
    note: null,
    due: null,
    from: "ana",
    at: "2026-12-01T09:00:00Z",
    read: false,
    ...overrides,
  };
}

function work(overrides: Partial<AssignedWork> = {}): AssignedWork {
  return {
    id: assignmentId(1),
    claim: claimId(7),
    draft: draftId(2),
    draft_path: "story.txt",
    draft_title: "Fire at the plant",
    quote: "Six workers were injured",
    due: null,
    overdue: false,
    assigned_by: "ana",
    assigned_at: "2026-12-01T09:00:00Z",
    ...overrides,
  };
}

describe("assignments and the inbox", () => {
  it("counts the unread entries and the overdue work", () => {
    expect(unreadCount([entry(), entry({ id: inboxId(2), read: true }), entry({ id: inboxId(3) })])).toBe(2);
    expect(unreadCount([])).toBe(0);
    expect(overdueCount([work({ due: "2026-11-30", overdue: true }), work({ id: assignmentId(2), due: "2026-12-24" })])).toBe(1);
  });

  it("says when work is due, and when it is overdue", () => {
    expect(dueText("2026-12-24", false)).toBe("Due 2026-12-24");
    expect(dueText("2026-12-03", true)).toBe("Overdue: due 2026-12-03");
    expect(dueText(null, false)).toBe("");
  });

  it("says who assigned or mentioned, and on what", () => {
    expect(inboxSentence(entry())).toBe("ana assigned you a claim");
    expect(inboxSentence(entry({ claim: null }))).toBe("ana assigned you the whole draft");
    expect(inboxSentence(entry({ kind: "mention", from: "ben" }))).toBe("ben mentioned you on a claim");
    expect(inboxSentence(entry({ kind: "mention", claim: null }))).toBe("ana mentioned you on the draft");
  });

  it("opens the claim in its draft, or the draft", () => {
    expect(openTarget(entry())).toEqual({ draft: 2, claim: 7 });
    expect(openTarget(work({ claim: null }))).toEqual({ draft: 2, claim: null });
  });
});
