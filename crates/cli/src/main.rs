//! `factdesk`: the headless command line over factdesk-core. Tests,
//! benchmarks and scripts reach everything the desktop app does through it.

use clap::{Parser, Subcommand};
use factdesk_core::clock::SystemClock;
use factdesk_core::desk::{Desk, DeskEvent, WatchPreference};
use factdesk_core::ingest::{read_draft, FileState};
use factdesk_core::store::Store;
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

/// Factdesk: review news drafts before they are published.
///
/// Every command works on a local SQLite database (default: the OS app-data
/// folder, e.g. ~/.local/share/factdesk/factdesk.db).
#[derive(Parser)]
#[command(name = "factdesk", version, about, long_about = None)]
struct Cli {
    /// The database file to use.
    #[arg(long, global = true, env = "FACTDESK_DB", value_name = "PATH")]
    db: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Index a folder of drafts once and list what was found.
    ///
    /// Re-scanning picks up changes: new, edited, renamed and deleted files.
    /// Exits 0 when the folder could be read, whatever the files held.
    Scan {
        /// The folder of drafts (a desk).
        dir: PathBuf,
        /// Print one JSON object: {"desk", "drafts": [{"path", "title", "format", "words", "state", "reason"}]}.
        #[arg(long)]
        json: bool,
    },
    /// Scan a folder, then follow changes until interrupted (Ctrl-C).
    Watch {
        /// The folder of drafts (a desk).
        dir: PathBuf,
        /// Print one JSON line per event: added, changed, renamed (with "from"), missing, restored, problem.
        #[arg(long)]
        json: bool,
        /// Poll the folder instead of using the OS's file events (network drives).
        #[arg(long)]
        poll: bool,
    },
    /// Propose the claims worth checking in a draft file, with their attribution.
    ///
    /// Needs no database.
    Suggest {
        /// A draft file (.md, .txt, .html).
        file: PathBuf,
        /// Print a JSON array: [{"quote", "start", "end", "score", "attribution": {"kind", "cue"}, "reasons"}].
        #[arg(long)]
        json: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("factdesk: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<(), String> {
    let db = cli.db.clone().unwrap_or_else(Store::default_path);
    match cli.command {
        Command::Scan { dir, json } => scan(&db, &dir, json),
        Command::Watch { dir, json, poll } => watch(&db, &dir, json, poll),
        Command::Suggest { file, json } => suggest(&file, json),
    }
}

fn open_desk(db: &Path, dir: &Path) -> Result<Desk, String> {
    let store = Store::open(db).map_err(|e| e.to_string())?.shared();
    Desk::open(store, dir, Arc::new(SystemClock)).map_err(|e| e.to_string())
}

#[derive(Serialize)]
struct ScanOutput<'a> {
    desk: String,
    drafts: &'a [factdesk_core::desk::ScannedFile],
}

/// Prints `text` to stdout; a reader that went away (`| head`) is not an error.
fn print_out(text: &str) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    match writeln!(out, "{text}").and_then(|()| out.flush()) {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => Err(error.to_string()),
        _ => Ok(()),
    }
}

fn scan(db: &Path, dir: &Path, json: bool) -> Result<(), String> {
    let desk = open_desk(db, dir)?;
    let report = desk.scan(&mut |_| {}, &mut |_| {}).map_err(|e| e.to_string())?;
    if json {
        let output = ScanOutput { desk: dir.display().to_string(), drafts: &report.files };
        print_out(&serde_json::to_string_pretty(&output).map_err(|e| e.to_string())?)
    } else {
        let lines: Vec<String> = report
            .files
            .iter()
            .map(|file| {
                let reason = file.reason.as_deref().map(|r| format!("  ({r})")).unwrap_or_default();
                format!("{:<8} {:>6} words  {}  {}{reason}", file.state.as_str(), file.words, file.path, file.title)
            })
            .collect();
        print_out(&lines.join("\n"))
    }
}

fn watch(db: &Path, dir: &Path, json: bool, poll: bool) -> Result<(), String> {
    let desk = open_desk(db, dir)?;
    let print = move |event: DeskEvent| {
        let mut out = std::io::stdout().lock();
        let line = if json {
            serde_json::to_string(&event).unwrap_or_else(|e| format!("{{\"event\":\"problem\",\"message\":\"{e}\"}}"))
        } else {
            format!("{event:?}")
        };
        // A closed stdout (the reader went away) ends nothing here; Ctrl-C does.
        let _ = writeln!(out, "{line}").and_then(|()| out.flush());
    };
    desk.scan(&mut |_| {}, &mut |event| print(event)).map_err(|e| e.to_string())?;
    let preference = if poll { WatchPreference::Polling } else { WatchPreference::from_env() };
    let watch = desk.watch(preference, print).map_err(|e| e.to_string())?;
    eprintln!("factdesk: watching {} ({:?}); Ctrl-C to stop", desk.root().display(), watch.mode);
    loop {
        std::thread::park();
    }
}

fn suggest(file: &Path, json: bool) -> Result<(), String> {
    if !file.is_file() {
        return Err(format!("{} is not a file", file.display()));
    }
    let draft = read_draft(file);
    let content = match (&draft.content, draft.state) {
        (Some(content), FileState::Ok | FileState::Warning) => content,
        _ => {
            return Err(format!("cannot read {}: {}", file.display(), draft.reason.as_deref().unwrap_or("not a draft")))
        }
    };
    if let Some(reason) = draft.reason.as_deref() {
        eprintln!("factdesk: warning: {reason}");
    }
    let suggestions = factdesk_core::suggest::suggest(&content.text);
    let output = if json {
        serde_json::to_string_pretty(&suggestions).map_err(|e| e.to_string())?
    } else {
        suggestions
            .iter()
            .map(|s| format!("{:.2} [{:?}] {}", s.score, s.attribution.kind, s.quote))
            .collect::<Vec<_>>()
            .join("\n")
    };
    print_out(&output)
}
