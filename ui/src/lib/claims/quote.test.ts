// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { CONTEXT, quoteAt, quoteFromRange, selectionQuote } from "./quote";

describe("quoteFromRange", () => {
  it("takes the selection as exact with the text around it as context", () => {
    const text = "An estimated worth of 50 billion, sources said.";
    const from = text.indexOf("50 billion");
    expect(quoteFromRange(text, from, from + 10)).toEqual({ exact: "50 billion", prefix: "An estimated worth of ", suffix: ", sources said." });
  });

  it("limits context to 32 code points, counting emoji and curly quotes as one", () => {
    const before = "🎉".repeat(40) + "“";
    const after = "”" + "😀".repeat(40);
    const text = `${before}quoted${after}`;
    const quote = quoteFromRange(text, before.length, before.length + 6)!;
    expect(quote.exact).toBe("quoted");
    expect(Array.from(quote.prefix)).toHaveLength(CONTEXT);
    expect(quote.prefix.endsWith("🎉“")).toBe(true);
    expect(Array.from(quote.suffix)).toHaveLength(CONTEXT);
    expect(quote.suffix.startsWith("”😀")).toBe(true);
  });

  it("moves whitespace at the edges into the context", () => {
    expect(quoteFromRange("said the mayor today", 4, 15)).toEqual({ exact: "the mayor", prefix: "said ", suffix: " today" });
    expect(quoteFromRange("a   b", 1, 4)).toBeNull();
  });

  it("never cuts an emoji in half", () => {
    const text = "x🎉y";
    expect(quoteFromRange(text, 2, 4)?.exact).toBe("🎉y");
  });
});

describe("selectionQuote", () => {
  function setup() {
    const root = document.createElement("div");
    const first = document.createElement("p");
    first.dataset.start = "0";
    first.append("Sources tell ", Object.assign(document.createElement("mark"), { textContent: "Strike Source" }), " that…");
    const second = document.createElement("p");
    second.dataset.start = "40";
    second.append("Second paragraph.");
    root.append(first, second);
    document.body.replaceChildren(root);
    return { root, first, second };
  }

  function select(startNode: Node, startOffset: number, endNode: Node, endOffset: number) {
    const selection = window.getSelection()!;
    const range = document.createRange();
    range.setStart(startNode, startOffset);
    range.setEnd(endNode, endOffset);
    selection.removeAllRanges();
    selection.addRange(range);
    return selection;
  }

  it("reads a selection across text nodes of one block", () => {
    const { root, first } = setup();
    const selection = select(first.childNodes[0], 8, first.childNodes[1].firstChild!, 6);
    const result = selectionQuote(root, selection);
    expect(result.kind).toBe("quote");
    if (result.kind === "quote") expect(result.quote).toEqual({ exact: "tell Strike", prefix: "Sources ", suffix: " Source that…\n\nSecond paragraph." });
  });

  it("reads a selection across blocks as they are joined in the canonical text", () => {
    const { root, first, second } = setup();
    const result = selectionQuote(root, select(first.childNodes[2], 1, second.firstChild!, 6));
    expect(result.kind).toBe("quote");
    if (result.kind === "quote") {
      expect(result.quote.exact).toBe("that…\n\nSecond");
      expect(result.quote.prefix).toBe("Sources tell Strike Source ");
      expect(result.quote.suffix).toBe(" paragraph.");
    }
  });

  it("takes context from the neighbouring blocks, as the core records it", () => {
    const { root, second } = setup();
    const result = selectionQuote(root, select(second.firstChild!, 0, second.firstChild!, 6));
    expect(result.kind).toBe("quote");
    if (result.kind === "quote") expect(result.quote).toEqual({ exact: "Second", prefix: "urces tell Strike Source that…\n\n", suffix: " paragraph." });
  });

  it("ignores a collapsed selection or one outside the text", () => {
    const { root, first } = setup();
    expect(selectionQuote(root, select(first.firstChild!, 2, first.firstChild!, 2)).kind).toBe("none");
    const outside = document.createElement("p");
    outside.textContent = "elsewhere";
    document.body.append(outside);
    expect(selectionQuote(root, select(outside.firstChild!, 0, outside.firstChild!, 4)).kind).toBe("none");
  });
});

describe("a claim's place as a quote", () => {
  const blocks = [
    { start: 0, end: 10, text: "Headline 🚒" },
    { start: 12, end: 38, text: "The fire started at 9 a.m." },
  ];

  it("cuts the text by code points, with its context reaching across blocks", () => {
    const quote = quoteAt(blocks, 12, 20);
    expect(quote).toEqual({ exact: "The fire", prefix: "Headline 🚒\n\n", suffix: " started at 9 a.m." });
    expect(quoteAt(blocks, 9, 10)?.exact).toBe("🚒");
  });

  it("gives nothing for an empty or outside range", () => {
    expect(quoteAt(blocks, 5, 5)).toBeNull();
    expect(quoteAt(blocks, 30, 400)).toBeNull();
  });
});
