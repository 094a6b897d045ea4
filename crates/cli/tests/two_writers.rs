//! Two people at once on one desk, through the real binary: two command-line
//! processes (different logins on a team store, different reviewers on a
//! SQLite file) make 1,000 mixed writes each, at the same time. Every write
//! must succeed and be found afterwards, and the audit trail must stay one
//! intact chain. The same test on both engines.

use serde_json::Value;
use std::ffi::OsString;
use std::process::Command;

const WRITES: usize = 1_000;
const STATUSES: [&str; 4] = ["corroborated", "disputed", "unverifiable", "needs-corroboration"];

fn factdesk(db: &OsString, user: &str, args: &[&str]) -> Result<String, String> {
    let out = Command::new(env!("CARGO_BIN_EXE_factdesk"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("FACTDESK_DB")
        .env("USER", user)
        .output()
        .map_err(|e| e.to_string())?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
    } else {
        Err(format!("{args:?}: {}", String::from_utf8_lossy(&out.stderr).trim()))
    }
}

fn json(db: &OsString, args: &[&str]) -> Value {
    serde_json::from_str(&factdesk(db, "ana", args).expect("read")).expect("json")
}

/// What one person did: the writes that succeeded, by kind, and the failures.
#[derive(Default)]
struct Done {
    notes: Vec<String>,
    claims: Vec<String>,
    statuses: usize,
    failures: Vec<String>,
}

/// `WRITES` writes in turn: a status change on the shared claim, a note on
/// it, a new claim on the shared draft.
fn writer(db: &OsString, user: &str, who: &str, desk: &str, shared_claim: &str) -> Done {
    let mut done = Done::default();
    for i in 0..WRITES {
        let outcome = match i % 3 {
            0 => factdesk(db, user, &["claim", "set", shared_claim, "--status", STATUSES[(i / 3) % 4]]).map(|_| {
                done.statuses += 1;
            }),
            1 => {
                let text = format!("{who} note {i}");
                factdesk(db, user, &["note", "add", "--claim", shared_claim, "--text", &text])
                    .map(|_| done.notes.push(text))
            }
            _ => factdesk(db, user, &["claim", "add", desk, "story.txt", "--quote", "the minister resigned"])
                .map(|id| done.claims.push(id)),
        };
        if let Err(error) = outcome {
            done.failures.push(error);
        }
    }
    done
}

/// Person `n` writes through `dbs[n]` as USER `users[n]`; their changes
/// must be recorded as `recorded[n]`.
fn two_writers_on(dbs: [&OsString; 2], users: [&str; 2], recorded: [&str; 2]) {
    let db = dbs[0];
    let tmp = tempfile::tempdir().expect("tmp");
    let desk = tmp.path().join("desk");
    std::fs::create_dir(&desk).expect("mkdir");
    std::fs::write(desk.join("story.txt"), "Story\n\nAides said the minister resigned on Monday.\n").expect("write");
    let d = desk.to_str().expect("utf-8 path").to_owned();
    let shared_claim =
        factdesk(db, users[0], &["claim", "add", &d, "story.txt", "--quote", "Aides said"]).expect("first claim");

    let results: Vec<Done> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..2)
            .map(|n| {
                let (d, shared_claim) = (&d, &shared_claim);
                scope.spawn(move || writer(dbs[n], users[n], recorded[n], d, shared_claim))
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("writer")).collect()
    });

    for (who, done) in recorded.iter().zip(&results) {
        assert!(
            done.failures.is_empty(),
            "{who}: {} of {WRITES} failed, e.g. {:?}",
            done.failures.len(),
            done.failures.first()
        );
    }
    // Nothing lost: every acknowledged note and claim is there, once.
    let notes = json(db, &["note", "list", "--claim", &shared_claim, "--json"]);
    let texts: Vec<String> =
        notes.as_array().expect("notes").iter().filter_map(|n| n["text"].as_str().map(str::to_owned)).collect();
    let claims = json(db, &["claims", &d, "story.txt", "--json"]);
    let ids: Vec<String> = claims.as_array().expect("claims").iter().map(|c| c["id"].to_string()).collect();
    for done in &results {
        for note in &done.notes {
            assert_eq!(texts.iter().filter(|t| *t == note).count(), 1, "note {note:?} once");
        }
        for id in &done.claims {
            assert!(ids.contains(id), "claim {id} acknowledged but not listed");
        }
    }
    assert_eq!(texts.len(), results.iter().map(|d| d.notes.len()).sum::<usize>());
    assert_eq!(ids.len(), 1 + results.iter().map(|d| d.claims.len()).sum::<usize>());
    // One intact chain, each change recorded as who made it.
    let verified = factdesk(db, users[0], &["audit", "verify"]).expect("audit verify");
    assert!(verified.contains("intact"), "{verified}");
    let log = json(db, &["audit", "log", "--json"]);
    let entries = log.as_array().expect("entries");
    for (who, done) in recorded.iter().zip(&results) {
        let by = entries.iter().filter(|e| e["actor"] == *who).count();
        // Every note and claim is an entry; a status set to what it already was is not.
        assert!(by >= done.notes.len() + done.claims.len(), "{who} recorded on {by} entries");
    }
}

#[test]
fn two_logins_make_a_thousand_mixed_writes_each_on_one_team_store() {
    let db = test_postgres::database();
    let init = factdesk(&db.url.clone().into(), "ana", &["team", "init", &db.url]);
    assert!(init.is_ok(), "{init:?}");
    db.create_login("ana");
    db.create_login("ben");
    let (as_ana, as_ben): (OsString, OsString) = (db.url_as("ana").into(), db.url_as("ben").into());
    // The login in the URL decides who acts; the name the client's USER claims does not.
    two_writers_on([&as_ana, &as_ben], ["mallory", "mallory"], ["ana", "ben"]);
}

#[test]
fn two_reviewers_make_a_thousand_mixed_writes_each_on_one_sqlite_file() {
    let tmp = tempfile::tempdir().expect("tmp");
    let db: OsString = tmp.path().join("factdesk.db").into();
    two_writers_on([&db, &db], ["ana", "ben"], ["ana", "ben"]);
}
