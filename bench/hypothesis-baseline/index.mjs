// Runs Factdesk's anchoring workload through Hypothesis's approach to anchoring, and compares.
//
// Hypothesis (the web annotation client) re-anchors an annotation by trying, in order: its
// TextPositionSelector, accepted if the text there is still the quote; then its TextQuoteSelector,
// searched approximately over the whole text with `approx-string-match` (Myers' algorithm), allowing
// up to half the quote's length in errors, and each match ranked by a weighted score of quote
// similarity, how well the text before and after matches the stored prefix and suffix, and closeness to
// the old position. This is a re-implementation of that approach from its description, not their code.
//
// Usage: node index.mjs WORKLOAD_DIR   (the directory the Rust bench wrote with FACTDESK_ANCHOR_WORKLOAD)

import search from 'approx-string-match';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node index.mjs WORKLOAD_DIR');
  process.exit(2);
}
const read = (name) => readFileSync(join(dir, name), 'utf8');
const readJson = (name) => JSON.parse(read(name));

// Exact occurrences first (cheap), approximate ones only when there are none, as Hypothesis does.
function find(text, pattern, maxErrors) {
  const exact = [];
  for (let at = text.indexOf(pattern); at !== -1; at = text.indexOf(pattern, at + 1)) {
    exact.push({ start: at, end: at + pattern.length, errors: 0 });
  }
  return exact.length > 0 ? exact : search(text, pattern, maxErrors);
}

// 0..1: how closely `expected` appears in `actual` (the text actually next to a match).
function similarity(actual, expected) {
  if (expected.length === 0 || actual.length === 0) return 0;
  const matches = find(actual, expected, expected.length);
  if (matches.length === 0) return 0;
  return 1 - Math.min(...matches.map((m) => m.errors)) / expected.length;
}

// The best match of `quote` in `text`, or null: weights 50 quote, 20 prefix, 20 suffix, 2 position.
function matchQuote(text, quote, { prefix, suffix, hint }) {
  if (quote.length === 0) return null;
  const maxErrors = Math.min(256, quote.length / 2);
  const matches = find(text, quote, maxErrors);
  if (matches.length === 0) return null;
  let best = null;
  for (const m of matches) {
    const quoteScore = 1 - m.errors / quote.length;
    const prefixScore = prefix ? similarity(text.slice(Math.max(0, m.start - prefix.length), m.start), prefix) : 1;
    const suffixScore = suffix ? similarity(text.slice(m.end, m.end + suffix.length), suffix) : 1;
    const positionScore = typeof hint === 'number' ? 1 - Math.abs(m.start - hint) / text.length : 1;
    const score = (50 * quoteScore + 20 * prefixScore + 20 * suffixScore + 2 * positionScore) / 92;
    if (best === null || score > best.score) best = { start: m.start, end: m.end, score };
  }
  return best;
}

function anchorAll(text, anchors) {
  return anchors.map((a) => {
    if (text.slice(a.start, a.end) === a.exact) return { start: a.start, end: a.end, how: 'position' };
    const m = matchQuote(text, a.exact, { prefix: a.prefix, suffix: a.suffix, hint: a.start });
    return m ? { start: m.start, end: m.end, how: 'quote' } : null;
  });
}

const overlaps = (p, t) => p && t && p.start < t[1] && t[0] < p.end;

const anchors = readJson('anchors.json');
const times = readJson('factdesk-times.json');
const rows = [];
const runs = Number(process.env.BASELINE_RUNS ?? 3);
for (const rate of [1, 10, 30]) {
  const text = read(`new-${rate}.txt`);
  const truth = readJson(`truth-${rate}.json`);
  const factdesk = readJson(`factdesk-${rate}.json`);
  let placed = anchorAll(text, anchors); // warm-up, and the placements compared below
  const durations = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    placed = anchorAll(text, anchors);
    durations.push(performance.now() - started);
  }
  durations.sort((x, y) => x - y);
  const baselineMs = durations[Math.floor(durations.length / 2)];

  const tally = {
    same: 0, boundaries: 0, baselineWrong: 0, baselineMissed: 0, factdeskDeclined: 0, factdeskWrong: 0,
    factdeskMissed: 0, bothOff: 0,
  };
  const examples = { factdeskWrong: [], baselineWrong: [], factdeskDeclined: [] };
  anchors.forEach((a, i) => {
    const f = factdesk[i].placed ? { start: factdesk[i].start, end: factdesk[i].end } : null;
    const b = placed[i];
    const t = truth[i];
    const fRight = t ? overlaps(f, t) : f === null;
    const bRight = t ? overlaps(b, t) : b === null;
    const note = (kind) => examples[kind].length < 3 && examples[kind].push({ i, exact: a.exact, truth: t, factdesk: factdesk[i], baseline: b });
    if ((f === null && b === null) || (f && b && f.start === b.start && f.end === b.end)) tally.same++;
    else if (fRight && bRight) tally.boundaries++;
    else if (fRight && !bRight) {
      if (b === null) tally.baselineMissed++;
      else { tally.baselineWrong++; note('baselineWrong'); }
    } else if (!fRight && bRight) {
      if (f === null) { tally.factdeskDeclined++; note('factdeskDeclined'); }
      else { tally.factdeskWrong++; note('factdeskWrong'); }
    } else if (f !== null && !fRight) { tally.factdeskWrong++; note('factdeskWrong'); }
    else tally.bothOff++;
  });
  const states = {};
  for (const p of factdesk) states[p.state] = (states[p.state] ?? 0) + 1;
  rows.push({ rate, factdeskMs: times[String(rate)], baselineMs, tally, states, examples });
}

console.log('\nAnchoring: 1,000 claims on a ~100 KB draft (median wall time of one re-anchoring of all claims)\n');
console.log('| words edited | Factdesk | Hypothesis-style (Node) | speed-up | same placement | differ, both on the claim | Factdesk declined, baseline right | baseline wrong or missed, Factdesk right | Factdesk wrong |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  const t = r.tally;
  console.log(`| ${r.rate} % | ${r.factdeskMs.toFixed(1)} ms | ${r.baselineMs.toFixed(0)} ms | ${(r.baselineMs / r.factdeskMs).toFixed(0)}× | ${t.same} | ${t.boundaries} | ${t.factdeskDeclined} | ${t.baselineWrong + t.baselineMissed} | ${t.factdeskWrong} |`);
}
for (const r of rows) {
  console.log(`\n${r.rate} %: Factdesk states ${JSON.stringify(r.states)}; tally ${JSON.stringify(r.tally)}`);
  for (const [kind, list] of Object.entries(r.examples)) {
    for (const e of list) console.log(`  ${kind} #${e.i}: truth ${JSON.stringify(e.truth)} factdesk ${JSON.stringify(e.factdesk)} baseline ${JSON.stringify(e.baseline)}\n    quote: ${e.exact}`);
  }
}

// The realistic workload (the project's drafts edited with the six editor operations), if written:
// both tools' placements tallied against the truth: right (on one of the claim's spans, or not placed
// when it was deleted, or Factdesk ambiguous between its copies), declined (not placed though it is
// there), wrong (placed on other text).
import { existsSync } from 'node:fs';
if (existsSync(join(dir, 'realistic.json'))) {
  const cases = readJson('realistic.json');
  const onTruth = (p, spans) => spans.some(([s, e]) => p.start < e && s < p.end);
  const baseline = { right: 0, declined: 0, wrong: 0 };
  const factdesk = { right: 0, declined: 0, wrong: 0 };
  const wrongExamples = [];
  let claims = 0;
  const placedBy = cases.map((c) => anchorAll(c.new, c.anchors)); // warm-up, and the placements tallied
  const durations = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    for (const c of cases) anchorAll(c.new, c.anchors);
    durations.push(performance.now() - started);
  }
  durations.sort((x, y) => x - y);
  cases.forEach((c, k) => {
    c.anchors.forEach((a, i) => {
      claims++;
      const spans = c.truth[i];
      const b = placedBy[k][i];
      if (b) {
        if (onTruth(b, spans)) baseline.right++;
        else { baseline.wrong++; if (wrongExamples.length < 3) wrongExamples.push({ case: c.name, exact: a.exact, baseline: b, truth: spans }); }
      } else if (spans.length === 0) baseline.right++;
      else baseline.declined++;
      const f = c.factdesk[i];
      if (f.placed) (onTruth(f, spans) ? factdesk.right++ : factdesk.wrong++);
      else if (spans.length === 0 || (spans.length > 1 && f.state === 'ambiguous')) factdesk.right++;
      else factdesk.declined++;
    });
  });
  const factdeskMs = readJson('factdesk-realistic-time.json');
  const baselineMs = durations[Math.floor(durations.length / 2)];
  console.log(`\nRealistic workload: ${cases.length} edited drafts, ${claims} claims (median wall time of one re-anchoring of all)\n`);
  console.log('| tool | time | right | declined | wrong |');
  console.log('|---|---|---|---|---|');
  console.log(`| Factdesk | ${factdeskMs.toFixed(1)} ms | ${factdesk.right} | ${factdesk.declined} | ${factdesk.wrong} |`);
  console.log(`| Hypothesis-style (Node) | ${baselineMs.toFixed(0)} ms | ${baseline.right} | ${baseline.declined} | ${baseline.wrong} |`);
  for (const e of wrongExamples) console.log(`  baseline wrong: ${JSON.stringify(e)}`);
}
