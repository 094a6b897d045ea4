// What the export dialog offers: the formats with what each is for, and the file name a report is
// saved under by default. The report itself is made by the core.

import type { ExportFormat, ExportProfile } from "$lib/ipc";

export type FormatChoice = {
  format: ExportFormat;
  label: string;
  /** One line: what the format is for. */
  detail: string;
  /** The usual file extension (the core's `Format::extension`). */
  extension: string;
  /** How the dialog previews it: the HTML page, or the exact text written. */
  preview: "page" | "text";
};

export const FORMATS: readonly FormatChoice[] = [
  { format: "html", label: "HTML", detail: "One self-contained page for any browser: the preview shows it.", extension: "html", preview: "page" },
  { format: "pdf", label: "PDF", detail: "The same page printed for the masthead or the archive (needs WeasyPrint).", extension: "pdf", preview: "page" },
  { format: "markdown", label: "Markdown", detail: "Plain text for the writer, an email or a ticket.", extension: "md", preview: "text" },
  { format: "json", label: "JSON", detail: "Everything, for other tools (docs/report-schema.json).", extension: "json", preview: "text" },
  { format: "csv", label: "CSV", detail: "One row per claim, for a spreadsheet.", extension: "csv", preview: "text" },
  { format: "annotation", label: "Web Annotation", detail: "W3C Web Annotation JSON-LD: each claim anchored in the text.", extension: "jsonld", preview: "text" },
  { format: "claim_review", label: "ClaimReview", detail: "schema.org ClaimReview JSON-LD for each claim with a verdict.", extension: "jsonld", preview: "text" },
];

export function formatChoice(format: ExportFormat): FormatChoice {
  return FORMATS.find((choice) => choice.format === format) ?? FORMATS[0];
}

/** The last part of a path, either separator. */
function baseName(path: string): string {
  return path.replace(/[\\/]+$/, "").split(/[\\/]/).pop() ?? "";
}

/** Lower-case words joined by hyphens, safe as a file name on every system. */
function slug(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/**
 * The name a report is offered under: `kabul-embassy-review.html` for a draft,
 * `drafts-desk-review.pdf` for the desk in folder `drafts`; `-internal` is added under the
 * internal profile, so a confidential file says so in its name.
 */
export function reportFileName(
  scope: { kind: "draft"; path: string } | { kind: "desk"; folder: string },
  format: ExportFormat,
  profile: ExportProfile,
): string {
  const source = scope.kind === "draft" ? baseName(scope.path).replace(/\.[^.]+$/, "") : baseName(scope.folder);
  const stem = slug(source) || (scope.kind === "draft" ? "draft" : "desk");
  const kind = scope.kind === "draft" ? "review" : "desk-review";
  const internal = profile === "internal" ? "-internal" : "";
  return `${stem}-${kind}${internal}.${formatChoice(format).extension}`;
}
