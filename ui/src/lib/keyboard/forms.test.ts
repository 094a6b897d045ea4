// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { openForm } from "./forms";

/** An element with its attributes and children, built without any HTML parsing. */
function el(tag: string, attributes: Record<string, string> = {}, ...children: HTMLElement[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

describe("openForm", () => {
  it("presses the opener, waits for the form it loads, and focuses the form's first field", async () => {
    const opener = el("button", { "data-opens": "link-source" });
    const root = el("div", {}, opener);
    document.body.append(root);
    opener.addEventListener("click", () => {
      // The real form appears after the register of sources has loaded.
      setTimeout(() => root.append(el("form", { "data-form": "link-source" }, el("select"), el("input"))), 50);
    });
    expect(await openForm("link-source", root)).toBe(true);
    expect(document.activeElement?.tagName).toBe("SELECT");
    // Marked for its focus ring until it loses the focus.
    expect(document.activeElement?.hasAttribute("data-keyboard-focus")).toBe(true);
    const select = document.activeElement as HTMLElement;
    select.blur();
    expect(select.hasAttribute("data-keyboard-focus")).toBe(false);
    root.remove();
  });

  it("waits for a form still being drawn", async () => {
    const root = el("div");
    document.body.append(root);
    setTimeout(() => root.append(el("div", { "data-form": "move-draft" }, el("button"))), 50);
    expect(await openForm("move-draft", root)).toBe(true);
    expect(document.activeElement?.tagName).toBe("BUTTON");
    root.remove();
  });

  it("focuses a form already open without pressing anything", async () => {
    const root = el("div", {}, el("form", { "data-form": "add-note" }, el("textarea"), el("button")));
    document.body.append(root);
    expect(await openForm("add-note", root)).toBe(true);
    expect(document.activeElement?.tagName).toBe("TEXTAREA");
    root.remove();
  });

  it("says so when there is nothing to open or the form never comes", async () => {
    const root = el("div", {}, el("button", { "data-opens": "add-evidence" }));
    document.body.append(root);
    expect(await openForm("link-source", root, 60)).toBe(false);
    expect(await openForm("add-evidence", root, 60)).toBe(false);
    root.remove();
  });
});
