import { describe, expect, it } from "vitest";
import { actionForKey, byGroup, filterActions, isPaletteKey, type PaletteAction } from "./palette";

function action(id: string, label: string, group: string, enabled = true): PaletteAction {
  return { id, label, group, keys: "", enabled, run: () => {} };
}

const actions = [
  action("next", "Next claim", "Claims", false),
  action("status-1", "Set status: needs corroboration", "Claims", false),
  action("search", "Search the desk", "Desk"),
  action("export", "Export a review report", "Desk"),
];

describe("palette", () => {
  it("finds actions by the words typed, those that can run first", () => {
    expect(filterActions(actions, "").map((a) => a.id)).toEqual(["search", "export", "next", "status-1"]);
    expect(filterActions(actions, "STATUS corrob").map((a) => a.id)).toEqual(["status-1"]);
    expect(filterActions(actions, "desk").map((a) => a.id)).toEqual(["search", "export"]);
    expect(filterActions(actions, "nothing like it")).toEqual([]);
  });

  it("opens with Ctrl+K or Cmd+K only", () => {
    const key = (k: string, mods: Partial<KeyboardEvent> = {}) =>
      isPaletteKey({ key: k, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods });
    expect(key("k", { ctrlKey: true })).toBe(true);
    expect(key("K", { metaKey: true })).toBe(true);
    expect(key("k")).toBe(false);
    expect(key("k", { ctrlKey: true, altKey: true })).toBe(false);
  });

  it("groups the keyboard map in the order given", () => {
    expect(byGroup(actions).map((g) => [g.group, g.actions.length])).toEqual([["Claims", 2], ["Desk", 2]]);
  });

  it("runs the action of a key pressed outside a field, when it can run now", () => {
    const keyed = [
      { ...action("next", "Next claim", "Claims"), keys: "j" },
      { ...action("accept", "Accept the suggestion", "Suggestions", false), keys: "a" },
      { ...action("keys", "Keyboard map", "Help"), keys: "?" },
    ];
    const press = (key: string, extra: Partial<KeyboardEvent> = {}) =>
      actionForKey(keyed, { key, ctrlKey: false, metaKey: false, altKey: false, target: null, ...extra })?.id ?? null;
    expect(press("j")).toBe("next");
    expect(press("?", { shiftKey: true })).toBe("keys");
    expect(press("a")).toBeNull(); // no suggestion open: nothing runs
    expect(press("x")).toBeNull();
    expect(press("j", { ctrlKey: true })).toBeNull();
    const input = { closest: (selector: string) => (selector.includes("input") ? {} : null) } as unknown as EventTarget;
    expect(press("j", { target: input })).toBeNull();
  });
});
