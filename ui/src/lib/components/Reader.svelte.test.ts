// @vitest-environment jsdom
// The reader against a real DOM: hostile draft text must arrive as text, and a re-fetched draft
// must update the nodes already on screen rather than replace them (that is what keeps the
// editor's scroll position while the writer saves).

import { afterEach, describe, expect, it } from "vitest";
import { createRawSnippet, flushSync, mount, unmount } from "svelte";
import type { BlockView, DraftDocument } from "$lib/ipc";
import Reader from "./Reader.svelte";

const empty = createRawSnippet(() => ({ render: () => `<p data-testid="no-selection">Select a draft</p>` }));

function paragraph(text: string, start = 0): BlockView {
  return { kind: "paragraph", level: 0, start, end: start + text.length, text };
}

function documentOf(blocks: BlockView[], overrides: Partial<DraftDocument["draft"]> = {}, versions = 1): DraftDocument {
  return {
    draft: { id: 4, path: "council.html", title: "Council vote", format: "html", words: 20, state: "ok", reason: null, missing: false, ...overrides },
    version: versions,
    versions,
    blocks,
  };
}

let mounted: Record<string, unknown> | null = null;

afterEach(() => {
  if (mounted) unmount(mounted);
  mounted = null;
  document.body.replaceChildren();
});

function render(props: { document: DraftDocument | null }) {
  mounted = mount(Reader, { target: document.body, props: { get document() { return props.document; }, empty } });
  flushSync();
}

const q = (testid: string) => document.querySelector(`[data-testid="${testid}"]`);

describe("Reader", () => {
  it("shows markup in a draft as text and creates no element from it", () => {
    const hostile = [
      { kind: "heading", level: 1, start: 0, end: 60, text: `Council approves budget <img src=x onerror="alert('img')">` },
      paragraph(`The council approved it.<script>document.title = "pwned"</script>`, 61),
      { kind: "quote", level: 0, start: 130, end: 160, text: `<iframe src="file:///etc/passwd"></iframe>` },
    ] satisfies BlockView[];
    render({ document: documentOf(hostile, { title: `<b onmouseover="alert(1)">Council</b>` }) });

    const text = q("reader-text")!;
    expect(text.querySelectorAll("img, script, iframe, b")).toHaveLength(0);
    expect(q("reader")!.querySelectorAll("img, script, iframe, b")).toHaveLength(0);
    expect(text.querySelector("h1")!.textContent).toBe(`Council approves budget <img src=x onerror="alert('img')">`);
    expect(text.querySelector("p")!.textContent).toContain("<script>");
    expect(q("reader-title")!.textContent).toBe(`<b onmouseover="alert(1)">Council</b>`);
  });

  it("renders headings, grouped lists and quotes from the blocks", () => {
    render({
      document: documentOf([
        { kind: "heading", level: 2, start: 0, end: 5, text: "Facts" },
        { kind: "list-item", level: 1, start: 6, end: 9, text: "one" },
        { kind: "list-item", level: 1, start: 10, end: 13, text: "two" },
        { kind: "quote", level: 0, start: 14, end: 20, text: "quoted" },
        paragraph("closing", 21),
      ]),
    });
    const text = q("reader-text")!;
    expect([...text.children].map((child) => child.tagName)).toEqual(["H2", "UL", "BLOCKQUOTE", "P"]);
    expect([...text.querySelectorAll("ul > li")].map((li) => li.textContent)).toEqual(["one", "two"]);
    expect(text.querySelector("li")!.getAttribute("data-start")).toBe("6");
  });

  it("updates the text in place when the same draft is re-fetched", () => {
    const props = $state({ document: documentOf([paragraph("First version."), paragraph("Unchanged.", 15)]) as DraftDocument | null });
    render(props);
    const reader = q("reader");
    const [first, second] = document.querySelectorAll('[data-testid="reader-text"] p');

    props.document = documentOf([paragraph("Second version, longer."), paragraph("Unchanged.", 24)], { path: "archive/council.html" }, 2);
    flushSync();

    expect(q("reader")).toBe(reader);
    const [firstAfter, secondAfter] = document.querySelectorAll('[data-testid="reader-text"] p');
    expect(firstAfter).toBe(first);
    expect(secondAfter).toBe(second);
    expect(firstAfter.textContent).toBe("Second version, longer.");
    expect(q("reader-path")!.textContent).toBe("archive/council.html");
    expect(q("reader-versions")!.textContent).toBe("2 versions seen");
  });

  it("says when the file is missing or could not be read", () => {
    const props = $state({ document: documentOf([paragraph("Last seen.")], { missing: true }) as DraftDocument | null });
    render(props);
    expect(q("reader-missing")).not.toBeNull();
    expect(q("reader-text")!.textContent).toContain("Last seen.");

    props.document = documentOf([], { state: "skipped", reason: "Binary content." }, 0);
    flushSync();
    expect(q("reader-skipped")!.textContent).toContain("Binary content.");
    expect(q("reader-versions")).toBeNull();
  });

  it("shows the empty state when no draft is selected", () => {
    render({ document: null });
    expect(q("no-selection")).not.toBeNull();
    expect(q("reader")).not.toBeNull();
  });
});
