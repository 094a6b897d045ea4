// A word-processor draft's tracked changes and comments, as the reader and the claim inspector
// show them. Offsets are code points of the canonical text (the text with every change accepted):
// an insertion covers text that is there, a deletion sits at the point its text was taken out.

import type { DocumentMarks, TrackedChange } from "$lib/ipc";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * A document's date as a reader says it: "30 Nov 2026, 09:12". Read from the text itself, not
 * through Date: Word writes UTC with a Z, LibreOffice local time with nanoseconds and no zone,
 * and either is shown as the document gives it.
 */
export function documentDate(date: string | null): string {
  if (!date) return "";
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?/.exec(date);
  if (!match) return date;
  const [, year, month, day, hour, minute] = match;
  const monthName = MONTHS[Number(month) - 1] ?? month;
  const when = `${Number(day)} ${monthName} ${year}`;
  return hour === undefined ? when : `${when}, ${hour}:${minute}`;
}

/** Who made a change or comment and when: "Ana Ruiz · 30 Nov 2026, 09:12". */
export function byline(item: { author: string; date: string | null }): string {
  const author = item.author.trim() || "Unknown author";
  const when = documentDate(item.date);
  return when ? `${author} · ${when}` : author;
}

/** How a change reads in a list or a label: "Inserted by Ana Ruiz · 30 Nov 2026, 09:12". */
export function describeChange(change: TrackedChange): string {
  return `${change.kind === "insertion" ? "Inserted" : "Deleted"} by ${byline(change)}`;
}

/** The tracked insertions a claim lies in, wholly or partly. */
export function insertionsCovering(claim: { start: number | null; end: number | null }, marks: DocumentMarks | null): TrackedChange[] {
  if (!marks || claim.start === null || claim.end === null) return [];
  const { start, end } = claim;
  return marks.changes.filter((change) => change.kind === "insertion" && change.start < end && change.end > start);
}

/** What the inspector says about a claim inside tracked insertions, or null when it is in none. */
export function insertionNotice(claim: { start: number | null; end: number | null }, marks: DocumentMarks | null): string | null {
  const covering = insertionsCovering(claim, marks);
  if (covering.length === 0) return null;
  const whole = covering.some((change) => claim.start !== null && claim.end !== null && change.start <= claim.start && change.end >= claim.end);
  const where = whole ? "Inside a tracked insertion" : "Partly inside a tracked insertion";
  const who = [...new Set(covering.map(byline))].join("; ");
  return `${where} (${who}), not yet accepted in the document.`;
}
