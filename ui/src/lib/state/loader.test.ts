import { describe, expect, it } from "vitest";
import { Invalidation, tagMatches } from "./invalidation";
import { Loader } from "./loader.svelte";

/** A backend whose answers come back when the test says, in any order. */
class Gate<T> {
  asked: { key: number; answer: (value: T) => void; fail: (error: unknown) => void }[] = [];
  fetch = (key: number) => new Promise<T>((answer, fail) => this.asked.push({ key, answer, fail }));
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("tags", () => {
  it("match exactly, or any id under a wildcard", () => {
    expect(tagMatches("claim:4", "claim:4")).toBe(true);
    expect(tagMatches("claim:4", "claim:42")).toBe(false);
    expect(tagMatches("claim:*", "claim:42")).toBe(true);
    expect(tagMatches("claim:*", "draft:42")).toBe(false);
    expect(tagMatches("review", "sources")).toBe(false);
  });
});

describe("Loader", () => {
  it("keeps only the answer to the latest ask, whatever order the answers come in", async () => {
    const gate = new Gate<string>();
    const loader = new Loader(gate.fetch, { bus: new Invalidation() });
    void loader.load(1);
    void loader.load(2);
    gate.asked[1].answer("two");
    gate.asked[0].answer("one");
    await settle();
    expect(loader.value).toBe("two");
    expect(loader.loading).toBe(false);
  });

  it("starts a new key empty and keeps what is shown while the same key is read again", async () => {
    const gate = new Gate<string>();
    const loader = new Loader(gate.fetch, { bus: new Invalidation() });
    void loader.load(1);
    gate.asked[0].answer("first");
    await settle();
    void loader.load(1);
    expect(loader.value).toBe("first");
    void loader.load(2);
    expect(loader.value).toBeNull();
  });

  it("reads again when one of its key's tags is invalidated, and not for others", async () => {
    const bus = new Invalidation();
    const gate = new Gate<string>();
    const loader = new Loader(gate.fetch, { bus, tags: (id) => [`claim:${id}`, "sources"] });
    void loader.load(7);
    gate.asked[0].answer("before");
    await settle();
    bus.invalidate("claim:8", "draft:7");
    expect(gate.asked).toHaveLength(1);
    bus.invalidate("claim:7");
    bus.invalidate("sources");
    expect(gate.asked.map((a) => a.key)).toEqual([7, 7, 7]);
    gate.asked[2].answer("after");
    await settle();
    expect(loader.value).toBe("after");
    loader.dispose();
    bus.invalidate("claim:7");
    expect(gate.asked).toHaveLength(3);
  });

  it("drops a read under way when the window's own write answers", async () => {
    const gate = new Gate<string>();
    const loader = new Loader(gate.fetch, { bus: new Invalidation() });
    void loader.load(1);
    loader.set("written");
    gate.asked[0].answer("read before the write");
    await settle();
    expect(loader.value).toBe("written");
  });

  it("keeps the failure of the latest ask only", async () => {
    const gate = new Gate<string>();
    const loader = new Loader(gate.fetch, { bus: new Invalidation() });
    void loader.load(1);
    void loader.load(2);
    gate.asked[0].fail({ code: "not_found", message: "gone" });
    await settle();
    expect(loader.error).toBeNull();
    gate.asked[1].fail({ code: "not_found", message: "gone too" });
    await settle();
    expect(loader.error?.message).toBe("gone too");
  });
});
