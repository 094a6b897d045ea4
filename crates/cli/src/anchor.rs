//! `factdesk anchor`: re-anchors W3C selectors made on one text onto another, for side-by-side runs
//! against other anchoring tools on the same files.

use crate::print_out;
use factdesk_core::anchor::{reanchor_all, Anchor, AnchorState, Candidate, TextPositionSelector, TextQuoteSelector};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// What `factdesk anchor` takes.
#[derive(clap::Args)]
pub(crate) struct AnchorArgs {
    /// The text the selectors were made on (read as it is: UTF-8, line endings kept).
    #[arg(long, value_name = "OLD_FILE")]
    old: PathBuf,
    /// The edited text to place them on (read as it is).
    #[arg(long, value_name = "NEW_FILE")]
    new: PathBuf,
    /// A JSON list of W3C selectors [{"exact", "prefix", "suffix", "start", "end"}], start and end in
    /// Unicode code points of OLD_FILE (end exclusive); prefix and suffix may be left out.
    #[arg(long, value_name = "SELECTORS.json")]
    selectors: PathBuf,
    /// Print one JSON line per selector, in order: {"state", "start", "end", "confidence", "candidates"}
    /// (start and end in code points of NEW_FILE, null when not placed), then {"elapsed_ms": …}, the time
    /// the re-anchoring took (not reading the files nor writing the output).
    #[arg(long)]
    json: bool,
}

/// One selector of SELECTORS.json.
#[derive(Deserialize)]
struct Selector {
    exact: String,
    #[serde(default)]
    prefix: String,
    #[serde(default)]
    suffix: String,
    start: u32,
    end: u32,
}

/// One placement as `anchor --json` prints it: exactly these keys (the contract).
#[derive(Serialize)]
struct PlacementJson<'a> {
    state: AnchorState,
    start: Option<u32>,
    end: Option<u32>,
    confidence: f32,
    candidates: &'a [Candidate],
}

pub(crate) fn run(args: &AnchorArgs) -> Result<(), String> {
    let old = read_text(&args.old, "--old")?;
    let new = read_text(&args.new, "--new")?;
    let anchors = read_selectors(&args.selectors, &old)?;
    let started = Instant::now();
    let placements = reanchor_all(&old, &new, &anchors);
    let elapsed = started.elapsed();
    let mut lines = Vec::with_capacity(placements.len() + 1);
    for placed in &placements {
        let line = if args.json {
            let row = PlacementJson {
                state: placed.state,
                start: placed.position.map(|p| p.start),
                end: placed.position.map(|p| p.end),
                confidence: placed.confidence,
                candidates: &placed.candidates,
            };
            serde_json::to_string(&row).map_err(|e| e.to_string())?
        } else {
            let state = format!("{:?}", placed.state).to_lowercase();
            match placed.position {
                Some(p) => format!("{state:<10} {}..{}  {:.2}", p.start, p.end, placed.confidence),
                None => format!("{state:<10} -  ({} candidates)", placed.candidates.len()),
            }
        };
        lines.push(line);
    }
    let ms = elapsed.as_secs_f64() * 1000.0;
    lines.push(if args.json { serde_json::json!({ "elapsed_ms": ms }).to_string() } else { format!("{ms:.3} ms") });
    print_out(&lines.join("\n"))
}

/// A whole file as UTF-8 text, unchanged.
fn read_text(path: &Path, flag: &str) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{flag} {}: {e}", path.display()))?;
    String::from_utf8(bytes).map_err(|e| format!("{flag} {}: not UTF-8 text ({e})", path.display()))
}

/// The selectors of `path`, checked against the old text: a bad one is refused with its index.
fn read_selectors(path: &Path, old: &str) -> Result<Vec<Anchor>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("--selectors {}: {e}", path.display()))?;
    let values: Vec<serde_json::Value> = serde_json::from_str(&text)
        .map_err(|e| format!("--selectors {}: not a JSON list of selectors ({e})", path.display()))?;
    let chars: Vec<(usize, char)> = old.char_indices().collect();
    let byte = |cp: u32| chars.get(cp as usize).map_or(old.len(), |&(at, _)| at);
    let len = u32::try_from(chars.len()).map_err(|_| "--old: the text is too long".to_string())?;
    values
        .into_iter()
        .enumerate()
        .map(|(index, value)| {
            let bad = |why: String| format!("--selectors {}: selector {index}: {why}", path.display());
            let selector: Selector = serde_json::from_value(value).map_err(|e| bad(e.to_string()))?;
            let Selector { exact, prefix, suffix, start, end } = selector;
            if exact.is_empty() || start >= end {
                return Err(bad(format!("empty: exact {exact:?}, start {start}, end {end}")));
            }
            if end > len {
                return Err(bad(format!("{start}..{end} is outside --old, which has {len} code points")));
            }
            if old[byte(start)..byte(end)] != exact {
                return Err(bad(format!(
                    "--old has {:?} at {start}..{end}, not its exact {exact:?} (positions count code points)",
                    &old[byte(start)..byte(end)]
                )));
            }
            let quote = TextQuoteSelector { exact, prefix, suffix };
            Ok(Anchor { quote, position: TextPositionSelector { start, end } })
        })
        .collect()
}
