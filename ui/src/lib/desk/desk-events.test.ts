import { describe, expect, it } from "vitest";
import type { DeskEvent } from "$lib/ipc";
import { appendNotice, refreshFor, type Notice } from "./desk-events";
import { draftId } from "$lib/testing/ids";

describe("refreshFor", () => {
  const draftEvents: DeskEvent[] = [
    { event: "added", draft: draftId(4), path: "new.md" },
    { event: "changed", draft: draftId(4), path: "a.md" },
    { event: "renamed", draft: draftId(4), path: "b.md", from: "a.md" },
    { event: "missing", draft: draftId(4), path: "a.md" },
    { event: "restored", draft: draftId(4), path: "a.md" },
  ];

  it.each(draftEvents)("refreshes the list on $event", (event) => {
    expect(refreshFor(event, null)).toEqual({ list: true, document: false, review: false, notice: null });
  });

  it.each(draftEvents)("re-fetches the open draft on $event of that draft", (event) => {
    expect(refreshFor(event, draftId(4)).document).toBe(true);
  });

  it("leaves the open draft alone when another draft changed", () => {
    expect(refreshFor({ event: "changed", draft: draftId(5), path: "other.md" }, draftId(4)).document).toBe(false);
  });

  it("turns a problem into a notice without refetching", () => {
    const event: DeskEvent = { event: "problem", path: null, message: "The folder was removed." };
    expect(refreshFor(event, draftId(4))).toEqual({
      list: false,
      document: false,
      review: false,
      notice: { path: null, message: "The folder was removed." },
    });
  });

  it("reloads the list and the open draft once for many drafts changed at once", () => {
    expect(refreshFor({ event: "many", count: 3000 }, draftId(4))).toEqual({ list: true, document: true, review: false, notice: null });
    expect(refreshFor({ event: "many", count: 3000 }, null)).toEqual({ list: true, document: false, review: false, notice: null });
  });

  it("reloads the review, not the text, when another process changed the review", () => {
    const event: DeskEvent = { event: "reviewed" };
    expect(refreshFor(event, draftId(4))).toEqual({ list: true, document: false, review: true, notice: null });
    expect(refreshFor(event, null).review).toBe(true);
  });

  it.each(draftEvents)("does not reload the review for $event alone", (event) => {
    expect(refreshFor(event, draftId(4)).review).toBe(false);
  });

  it("refreshes the list for an event kind it does not know", () => {
    const event = { event: "reindexed", draft: 4, path: "a.md" } as unknown as DeskEvent;
    expect(refreshFor(event, draftId(4))).toEqual({ list: true, document: false, review: false, notice: null });
  });
});

describe("appendNotice", () => {
  it("adds notices in order", () => {
    const notices = appendNotice([{ path: "a", message: "one" }], { path: null, message: "two" });
    expect(notices.map((n) => n.message)).toEqual(["one", "two"]);
  });

  it("does not repeat the newest notice", () => {
    const notice = { path: null, message: "Watching by polling" };
    expect(appendNotice([notice], { ...notice })).toHaveLength(1);
  });

  it("keeps only the most recent ones", () => {
    let notices: Notice[] = [{ path: null, message: "0" }];
    for (let i = 1; i < 10; i++) notices = appendNotice(notices, { path: null, message: String(i) }, 3);
    expect(notices.map((n) => n.message)).toEqual(["7", "8", "9"]);
  });
});
