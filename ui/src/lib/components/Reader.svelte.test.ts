// @vitest-environment jsdom
// The reader against a real DOM: hostile draft text must arrive as text, and a re-fetched draft
// must update the nodes already on screen rather than replace them (that is what keeps the
// editor's scroll position while the writer saves).

import { afterEach, describe, expect, it } from "vitest";
import { createRawSnippet, flushSync, mount, unmount } from "svelte";
import type { BlockView, ClaimView, DraftDocument, TextQuoteSelector, ClaimId } from "$lib/ipc";
import Reader from "./Reader.svelte";
import { claimId, draftId, versionId } from "$lib/testing/ids";

const empty = createRawSnippet(() => ({ render: () => `<p data-testid="no-selection">Select a draft</p>` }));

function paragraph(text: string, start = 0): BlockView {
  return { kind: "paragraph", level: 0, start, end: start + text.length, text };
}

function documentOf(blocks: BlockView[], overrides: Partial<DraftDocument["draft"]> = {}, versions = 1): DraftDocument {
  return {
    draft: { id: draftId(4), path: "council.html", title: "Council vote", format: "html", words: 20, state: "ok", reason: null, missing: false, ...overrides },
    version: versionId(versions),
    versions,
    blocks,
    marks: null,
    comments: [],
  };
}

let mounted: Record<string, unknown> | null = null;

afterEach(() => {
  if (mounted) unmount(mounted);
  mounted = null;
  document.body.replaceChildren();
});

type Props = {
  document: DraftDocument | null;
  claims?: ClaimView[];
  selectedClaimId?: ClaimId | null;
  onSelection?: (quote: TextQuoteSelector | null) => void;
  onTag?: (quote: TextQuoteSelector) => void;
  onSelectClaim?: (claim: ClaimId) => void;
  tagRefused?: string;
};

function render(props: Props) {
  mounted = mount(Reader, {
    target: document.body,
    props: {
      get document() {
        return props.document;
      },
      get claims() {
        return props.claims ?? [];
      },
      get selectedClaimId() {
        return props.selectedClaimId ?? null;
      },
      onSelection: (quote: TextQuoteSelector | null) => props.onSelection?.(quote),
      onTag: (quote: TextQuoteSelector) => props.onTag?.(quote),
      onSelectClaim: (claim: ClaimId) => props.onSelectClaim?.(claim),
      tagRefused: props.tagRefused,
      empty,
    },
  });
  flushSync();
}

function claimAt(id: number, start: number, end: number, status: ClaimView["status"] = "needs-corroboration"): ClaimView {
  return {
    id: claimId(id),
    draft: draftId(4),
    status,
    quote: "",
    original_quote: "",
    start,
    end,
    anchor: { state: "anchored", confidence: 1, candidates: [] },
    needs_attention: false,
    attribution: { kind: "none", from: "wording", cue: null },
    created_by: "ed",
    created_at: "2026-11-29T06:00:00Z",
    updated_by: "ed",
    updated_at: "2026-11-29T06:00:00Z",
    version: 1,
  };
}

/** The block's first non-empty text node (Svelte may leave anchors around it). */
function textNode(element: Element): Node {
  const node = [...element.childNodes].find((child) => child.nodeType === Node.TEXT_NODE && (child.textContent ?? "") !== "");
  if (!node) throw new Error("no text node");
  return node;
}

function selectText(node: Node, from: number, endNode: Node, to: number) {
  const range = document.createRange();
  range.setStart(node, from);
  range.setEnd(endNode, to);
  const selection = window.getSelection()!;
  selection.removeAllRanges();
  selection.addRange(range);
  document.dispatchEvent(new Event("selectionchange"));
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

describe("Reader claims", () => {
  // “Sources” are curly-quoted and there is an emoji, so code points and UTF-16 units differ.
  const text = "“Sources” 🎉 tell Strike Source of 50 billion.";
  const blocks = () => [paragraph("Council vote", 0), { ...paragraph(text, 13), end: 13 + Array.from(text).length }];

  it("highlights claims in their status colour as text, keeping the block's text whole", () => {
    // “Sources” = code points 0..9 of the block; the emoji before "50 billion" is one code point.
    const fifty = 13 + Array.from(text.slice(0, text.indexOf("50 billion"))).length;
    const claims = [claimAt(1, 13, 22, "disputed"), claimAt(2, fifty, fifty + 10, "corroborated"), claimAt(3, 5, 16)];
    render({ document: documentOf(blocks()), claims, selectedClaimId: claimId(2) });
    const marks = [...document.querySelectorAll<HTMLElement>('[data-testid="claim-mark"]')];
    expect(marks.map((m) => [m.textContent, m.dataset.claimId, m.dataset.status])).toEqual([
      ["il vote", "3", "needs-corroboration"],
      ["“So", "1", "disputed"],
      ["urces”", "1", "disputed"],
      ["50 billion", "2", "corroborated"],
    ]);
    // Where claims 1 and 3 overlap, both are named, the shorter on top.
    expect(marks[1].dataset.claimIds).toBe("1 3");
    expect(marks[3].classList.contains("selected")).toBe(true);
    const paragraphs = document.querySelectorAll('[data-testid="reader-text"] p');
    expect(paragraphs[1].textContent).toBe(text);
    expect(paragraphs[0].textContent).toBe("Council vote");
  });

  it("leaves claims without a place out of the text", () => {
    const orphan = { ...claimAt(9, 0, 0), start: null, end: null, anchor: { state: "orphaned" as const, confidence: 0, candidates: [] } };
    render({ document: documentOf(blocks()), claims: [orphan] });
    expect(document.querySelectorAll('[data-testid="claim-mark"]')).toHaveLength(0);
  });

  it("offers to tag a selection within one block and hands over its quote", () => {
    const selections: (TextQuoteSelector | null)[] = [];
    const tagged: TextQuoteSelector[] = [];
    render({ document: documentOf(blocks()), onSelection: (q) => selections.push(q), onTag: (q) => tagged.push(q) });
    const node = textNode(document.querySelectorAll('[data-testid="reader-text"] p')[1]);
    const from = text.indexOf("50 billion");
    selectText(node, from, node, from + 10);

    const expected = { exact: "50 billion", prefix: "“Sources” 🎉 tell Strike Source of ", suffix: "." };
    expected.prefix = Array.from(expected.prefix).slice(-32).join("");
    expect(selections.at(-1)).toEqual(expected);
    const button = q("tag-claim") as HTMLButtonElement;
    expect(button.textContent).toContain("Tag claim");
    button.click();
    expect(tagged).toEqual([expected]);

    window.getSelection()!.removeAllRanges();
    document.dispatchEvent(new Event("selectionchange"));
    flushSync();
    expect(q("tag-claim")).toBeNull();
    expect(selections.at(-1)).toBeNull();
  });

  it("shows Tag claim disabled, with the core's refusal, to whom the role may not tag here (teamtry C4)", () => {
    const tagged: TextQuoteSelector[] = [];
    const refusal = "lou (lawyer) may not change claims here: it needs the editor or standards editor role, or to be the draft's reporter";
    render({ document: documentOf(blocks()), onTag: (q) => tagged.push(q), tagRefused: refusal });
    const node = textNode(document.querySelectorAll('[data-testid="reader-text"] p')[1]);
    const from = text.indexOf("50 billion");
    selectText(node, from, node, from + 10);
    const button = q("tag-claim") as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect(button.title).toBe(refusal);
    button.click();
    expect(tagged).toEqual([]);
  });

  it("offers to tag a selection spanning blocks, joined as in the canonical text", () => {
    const selections: (TextQuoteSelector | null)[] = [];
    render({ document: documentOf(blocks()), onSelection: (q) => selections.push(q) });
    const [first, second] = document.querySelectorAll('[data-testid="reader-text"] p');
    selectText(textNode(first), 2, textNode(second), 9);
    expect(q("tag-claim")).not.toBeNull();
    expect(selections.at(-1)).toEqual({
      exact: "uncil vote\n\n“Sources”",
      prefix: "Co",
      suffix: Array.from(text.slice(9)).slice(0, 32).join(""),
    });
  });

  it("selects a claim when its highlight is clicked", () => {
    const picked: number[] = [];
    render({ document: documentOf(blocks()), claims: [claimAt(5, 13, 22)], onSelectClaim: (id) => picked.push(id) });
    window.getSelection()!.removeAllRanges();
    (document.querySelector('[data-testid="claim-mark"]') as HTMLElement).click();
    expect(picked).toEqual([5]);
  });
});

describe("a word-processor draft's marks", () => {
  const text = "The council voted 6-1 on Tuesday to fund the project.";
  const hostile = "<img src=x onerror=alert(1)>";
  const withMarks = (): DraftDocument => ({
    ...documentOf([paragraph(text)], { path: "council.docx", format: "docx" }),
    marks: {
      links: [],
      changes: [
        { kind: "deletion", start: 18, end: 18, text: hostile, author: "Ana Ruiz", date: "2026-11-30T09:12:00Z" },
        { kind: "insertion", start: 18, end: 21, text: "6-1", author: "Ana Ruiz", date: "2026-11-30T09:12:00Z" },
      ],
      comments: [],
    },
    comments: [
      {
        id: 7,
        author: "Lee Park",
        date: "2026-11-30T10:05:00Z",
        text: "Which budget line?",
        quote: { exact: "fund the project", prefix: "on Tuesday to ", suffix: "." },
        state: "open",
        removed_at: null,
        start: 36,
        end: 52,
      },
      {
        id: 3,
        author: "Ana Ruiz",
        date: null,
        text: "Fixed.",
        quote: { exact: "The council", prefix: "", suffix: " voted" },
        state: "removed",
        removed_at: "2026-12-01T05:00:00Z",
        start: null,
        end: null,
      },
    ],
  });

  it("shows tracked changes on request, the deleted text never in the page's text", () => {
    render({ document: withMarks() });
    const reader = document.querySelector('[data-testid="reader-text"]') as HTMLElement;
    expect(reader.querySelector('[data-testid="tracked-insertion"]')).toBeNull();
    const toggle = document.querySelector('[data-testid="toggle-tracked-changes"]') as HTMLButtonElement;
    expect(toggle.textContent).toContain("Show tracked changes (2)");
    toggle.click();
    flushSync();
    const insertion = reader.querySelector('[data-testid="tracked-insertion"]') as HTMLElement;
    expect(insertion.textContent).toBe("6-1");
    expect(insertion.dataset.by).toBe("Ana Ruiz · 30 Nov 2026, 09:12");
    const deletion = reader.querySelector('[data-testid="tracked-deletion"]') as HTMLElement;
    expect(deletion.dataset.text).toBe(hostile);
    expect(deletion.childNodes.length).toBe(0);
    expect(reader.querySelector("img")).toBeNull();
    expect(reader.textContent).toBe(text);
  });

  it("lists the document's comments, open first, marked as from the document", () => {
    render({ document: withMarks() });
    const items = [...document.querySelectorAll('[data-testid="document-comment"]')] as HTMLElement[];
    expect(items.map((item) => item.dataset.commentId)).toEqual(["7", "3"]);
    expect(items[0].textContent).toContain("fund the project");
    expect(items[0].textContent).toContain("Which budget line?");
    expect(items[0].textContent).toContain("Lee Park · 30 Nov 2026, 10:05 · from the document");
    expect(items[1].querySelector('[data-testid="document-comment-resolved"]')?.textContent).toBe("Resolved · no longer in the document");
  });
});
