//! `factdesk search`: the desk's full-text search on the command line.

use crate::{find_draft, open_review, print_out};
use factdesk_core::attribution::AttributedTo;
use factdesk_core::review::ClaimStatus;
use factdesk_core::search::{HitKind, SearchHit, SearchQuery};
use factdesk_core::sourcing::workflow::DraftStatus;
use serde::Serialize;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// What `factdesk search` takes.
#[derive(clap::Args)]
pub(crate) struct SearchArgs {
    /// The folder of drafts (a desk).
    desk: PathBuf,
    /// Words (all required), "a phrase", prefix*, -excluded. Case and diacritics do not matter;
    /// a figure such as $1.2bn or U.S. matches as written.
    query: String,
    /// Only hits of these kinds: draft, claim, note, evidence, source (repeat or comma separate).
    #[arg(long, value_delimiter = ',', value_name = "KIND")]
    kind: Vec<String>,
    /// Only claims with these statuses (needs-corroboration, corroborated, disputed, unverifiable, cleared),
    /// and the notes and evidence on them.
    #[arg(long, value_delimiter = ',', value_name = "STATUS")]
    status: Vec<String>,
    /// Only claims attributed so (named, unnamed, document, official-statement, public-record, media-report,
    /// social-media, other, none), and the notes and evidence on them.
    #[arg(long, value_delimiter = ',', value_name = "ATTRIBUTION")]
    attribution: Vec<String>,
    /// Only what belongs to drafts in these workflow statuses (in-review, needs-work, ready, published, updated).
    #[arg(long, value_delimiter = ',', value_name = "STATUS")]
    workflow: Vec<String>,
    /// Only what belongs to this draft (its path relative to the desk).
    #[arg(long)]
    draft: Option<String>,
    /// Only what last changed on or after this day (YYYY-MM-DD, UTC).
    #[arg(long, value_name = "DATE")]
    since: Option<String>,
    /// Only what last changed on or before this day (YYYY-MM-DD, UTC).
    #[arg(long, value_name = "DATE")]
    until: Option<String>,
    /// Only claims assigned to NAME (and the notes and evidence on them), and what belongs to drafts assigned to NAME.
    #[arg(long, value_name = "NAME")]
    assignee: Option<String>,
    /// At most this many hits, best first.
    #[arg(long, default_value_t = factdesk_core::search::DEFAULT_LIMIT)]
    limit: u32,
    /// Print a JSON array: [{"kind", "id", "draft", "snippet": {"text", "highlights": [{"start", "end"}]}, "score"}]
    /// (offsets in Unicode code points of the snippet's text; score: bm25, higher is better).
    #[arg(long)]
    json: bool,
}

/// One hit as `search --json` prints it: exactly these keys (the contract).
#[derive(Serialize)]
struct HitJson<'a> {
    kind: HitKind,
    id: i64,
    draft: Option<&'a str>,
    snippet: &'a factdesk_core::search::Snippet,
    score: f64,
}

pub(crate) fn run(db: &Path, args: SearchArgs) -> Result<(), String> {
    let mut query = SearchQuery {
        text: args.query,
        kinds: parse_all(&args.kind)?,
        claim_statuses: args
            .status
            .iter()
            .map(|s| s.trim().parse::<ClaimStatus>().map_err(|e| e.to_string()))
            .collect::<Result<_, _>>()?,
        attributions: parse_all::<AttributedTo>(&args.attribution)?,
        workflow: parse_all::<DraftStatus>(&args.workflow)?,
        draft: None,
        since: args.since.as_deref().map(|d| day(d, "--since")).transpose()?,
        until: args.until.as_deref().map(|d| day(d, "--until")).transpose()?,
        limit: Some(args.limit),
        assignee: args.assignee,
    };
    let (desk, review) = open_review(db, &args.desk)?;
    if let Some(draft) = &args.draft {
        query.draft = Some(find_draft(&desk, draft)?);
    } else {
        // The index holds only texts that were read.
        desk.read_all_texts().map_err(|e| e.to_string())?;
    }
    let hits = review.search(desk.id(), &query).map_err(|e| e.to_string())?;
    if args.json {
        let rows: Vec<HitJson<'_>> = hits
            .iter()
            .map(|h| HitJson {
                kind: h.kind,
                id: h.id,
                draft: h.draft_path.as_deref(),
                snippet: &h.snippet,
                score: h.score,
            })
            .collect();
        return print_out(&serde_json::to_string_pretty(&rows).map_err(|e| e.to_string())?);
    }
    if hits.is_empty() {
        eprintln!("factdesk: nothing found");
        return Ok(());
    }
    let bold = std::io::stdout().is_terminal();
    let lines: Vec<String> = hits
        .iter()
        .map(|h| {
            format!(
                "{:<8} {:>6}  {}  {}",
                h.kind.as_str(),
                h.id,
                h.draft_path.as_deref().map(printable).unwrap_or_else(|| "-".into()),
                marked(h, bold)
            )
        })
        .collect();
    print_out(&lines.join("\n"))
}

fn parse_all<T: std::str::FromStr>(given: &[String]) -> Result<Vec<T>, String>
where
    T::Err: std::fmt::Display,
{
    given.iter().map(|name| name.parse::<T>().map_err(|e| e.to_string())).collect()
}

fn day(given: &str, flag: &str) -> Result<chrono::NaiveDate, String> {
    given.trim().parse().map_err(|_| format!("{flag} takes a day as YYYY-MM-DD, not {given:?}"))
}

/// The snippet on one line with its matches marked: bold on a terminal,
/// «» otherwise.
fn marked(hit: &SearchHit, bold: bool) -> String {
    let (open, close) = if bold { ("\u{1b}[1m", "\u{1b}[0m") } else { ("«", "»") };
    let mut out = String::new();
    for (at, c) in hit.snippet.text.chars().enumerate() {
        let at = u32::try_from(at).unwrap_or(u32::MAX);
        if hit.snippet.highlights.iter().any(|s| s.start == at) {
            out.push_str(open);
        }
        out.push_str(&printable(&c.to_string()));
        if hit.snippet.highlights.iter().any(|s| s.end == at.saturating_add(1)) {
            out.push_str(close);
        }
    }
    out
}

/// Draft text is hostile input: a control character (an escape sequence
/// that would drive the terminal, a line break) is shown as a space.
fn printable(text: &str) -> String {
    text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}
