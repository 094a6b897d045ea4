//! # factdesk-core
//!
//! Everything Factdesk knows about news drafts and their review, with no
//! Tauri and no UI in it. Data flows one way:
//! **folder → [`ingest`] → [`store`] → [`suggest`] → the shell's commands → UI**,
//! and [`desk`] events flow back (draft added, changed, renamed, missing).
//! [`review`] keeps the claims and their statuses; [`report`] exports a
//! review as Markdown, HTML, PDF, JSON, CSV, Web Annotation or ClaimReview.
//!
//! ```no_run
//! use factdesk_core::{desk::Desk, store::Store, clock::SystemClock};
//! use std::sync::Arc;
//!
//! let store = Store::open(std::path::Path::new("/tmp/factdesk.db"))?.shared();
//! let desk = Desk::open(store, std::path::Path::new("examples/drafts"), Arc::new(SystemClock))?;
//! let report = desk.scan(&mut |_progress| {}, &mut |_event| {})?;
//! for file in &report.files {
//!     println!("{} {:?} {}", file.path, file.state, file.title);
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

/// The version line of every Factdesk binary: the release and the newest
/// database schema it knows (a database from a newer schema is refused).
pub const VERSION: &str =
    concat!(env!("CARGO_PKG_VERSION"), " (database schema ", env!("FACTDESK_SCHEMA_VERSION"), ")");

pub mod anchor;
pub mod assignment;
pub mod attribution;
pub mod audit;
pub mod audit_labels;
pub mod backup;
pub mod clock;
pub mod conflict;
pub mod dashboard;
pub mod desk;
pub mod document_comments;
pub mod history;
pub mod inbox;
pub mod ingest;
pub mod keyring;
pub mod names;
mod private_file;
pub mod report;
pub mod review;
pub mod rights;
pub mod rules;
pub mod search;
pub mod sourcing;
pub mod store;
pub mod store_choice;
pub mod suggest;
pub mod vault;
pub mod vault_access;
