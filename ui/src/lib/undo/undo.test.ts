import { describe, expect, it } from "vitest";
import { IpcError } from "$lib/ipc";
import { UndoStack, isUndoKey } from "./undo.svelte";

/** A pretend review: a set of claims, and the log of what was done to it. */
function review() {
  const claims = new Set([1, 2, 3]);
  const log: string[] = [];
  const remove = (stack: UndoStack, id: number) => {
    claims.delete(id);
    log.push(`remove ${id}`);
    stack.record({
      label: `Claim ${id} removed`,
      undo: async () => {
        if (claims.has(id)) throw new IpcError("invalid_input", `claim ${id} is already there`);
        claims.add(id);
        log.push(`restore ${id}`);
      },
    });
  };
  return { claims, log, remove };
}

describe("the undo stack", () => {
  it("undoes the last actions in reverse order, announcing each", async () => {
    const stack = new UndoStack();
    const { claims, log, remove } = review();
    expect(stack.canUndo).toBe(false);
    remove(stack, 1);
    remove(stack, 2);
    expect(stack.announced?.label).toBe("Claim 2 removed");
    expect([...claims]).toEqual([3]);

    expect((await stack.undo())?.label).toBe("Claim 2 removed");
    expect(stack.undone?.label).toBe("Claim 2 removed");
    expect(stack.announced).toBeNull();
    expect((await stack.undo())?.label).toBe("Claim 1 removed");
    expect([...claims].sort()).toEqual([1, 2, 3]);
    expect(log).toEqual(["remove 1", "remove 2", "restore 2", "restore 1"]);
    expect(stack.revision).toBe(2);

    // Nothing left: Undo does nothing and says nothing went wrong.
    expect(await stack.undo()).toBeNull();
    expect(stack.error).toBeNull();
    expect(stack.canUndo).toBe(false);
  });

  it("keeps only the last actions", async () => {
    const stack = new UndoStack(2);
    const { claims, remove } = review();
    remove(stack, 1);
    remove(stack, 2);
    remove(stack, 3);
    expect(stack.entries.map((e) => e.label)).toEqual(["Claim 2 removed", "Claim 3 removed"]);
    await stack.undo();
    await stack.undo();
    expect(await stack.undo()).toBeNull();
    expect([...claims].sort()).toEqual([2, 3]);
  });

  it("drops an undo that fails and says why, so the stack is never stuck", async () => {
    const stack = new UndoStack();
    const { claims, remove } = review();
    remove(stack, 1);
    remove(stack, 2);
    claims.add(2); // put back meanwhile, elsewhere
    expect(await stack.undo()).toBeNull();
    expect(stack.error).toBe("Could not undo “Claim 2 removed”: claim 2 is already there");
    expect(stack.entries.map((e) => e.label)).toEqual(["Claim 1 removed"]);
    expect((await stack.undo())?.label).toBe("Claim 1 removed");
    expect(stack.error).toBeNull();
  });

  it("runs one undo at a time", async () => {
    const stack = new UndoStack();
    let release = () => {};
    const done: string[] = [];
    stack.record({ label: "first", undo: async () => void done.push("first") });
    stack.record({ label: "second", undo: () => new Promise<void>((resolve) => (release = () => (done.push("second"), resolve()))) });
    const running = stack.undo();
    expect(stack.busy).toBe(true);
    expect(stack.canUndo).toBe(false);
    expect(await stack.undo()).toBeNull();
    release();
    await running;
    expect(done).toEqual(["second"]);
    expect(stack.canUndo).toBe(true);
  });

  it("forgets everything when cleared, and a dismissed toast leaves the actions undoable", async () => {
    const stack = new UndoStack();
    const { remove } = review();
    remove(stack, 1);
    stack.dismiss();
    expect(stack.announced).toBeNull();
    expect(stack.canUndo).toBe(true);
    stack.clear();
    expect(stack.canUndo).toBe(false);
  });
});

describe("the undo key", () => {
  const key = (over: Partial<KeyboardEvent> & { target?: unknown } = {}) =>
    isUndoKey({ key: "z", ctrlKey: true, metaKey: false, shiftKey: false, altKey: false, target: null, ...over } as KeyboardEvent);
  const element = (tagName: string, type = "") => ({ tagName, type, isContentEditable: false, closest: (s: string) => (s.includes(tagName.toLowerCase()) ? { tagName, type } : null) });

  it("is Ctrl+Z or Cmd+Z, not redo and not a plain z", () => {
    expect(key()).toBe(true);
    expect(key({ ctrlKey: false, metaKey: true })).toBe(true);
    expect(key({ key: "Z" })).toBe(true);
    expect(key({ shiftKey: true })).toBe(false);
    expect(key({ ctrlKey: false })).toBe(false);
    expect(key({ key: "y" })).toBe(false);
  });

  it("leaves a text field its own undo, but not a checkbox", () => {
    expect(key({ target: element("TEXTAREA") as unknown as EventTarget })).toBe(false);
    expect(key({ target: element("INPUT", "text") as unknown as EventTarget })).toBe(false);
    expect(key({ target: element("INPUT", "checkbox") as unknown as EventTarget })).toBe(true);
    expect(key({ target: { tagName: "DIV", isContentEditable: true, closest: () => null } as unknown as EventTarget })).toBe(false);
  });
});
