//! `factdesk anchor` with the real binary on real files: the JSON lines contract (code points, one line
//! per selector in order, then the timing), and bad input refused with a clear message.

// Test code: a panic is the failure report.
#![allow(clippy::unwrap_used)]

use serde_json::{json, Value};
use std::path::Path;
use std::process::Command;

/// Runs `factdesk anchor` on files written in a fresh folder; returns (success, stdout, stderr).
fn anchor(old: &str, new: &str, selectors: &str, json: bool) -> (bool, String, String) {
    let tmp = tempfile::tempdir().expect("tmp");
    let write = |name: &str, text: &str| {
        let path = tmp.path().join(name);
        std::fs::write(&path, text).expect("write");
        path
    };
    let (old, new, selectors) = (write("old.txt", old), write("new.txt", new), write("selectors.json", selectors));
    run(&old, &new, &selectors, json)
}

fn run(old: &Path, new: &Path, selectors: &Path, json: bool) -> (bool, String, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_factdesk"));
    command.env_remove("FACTDESK_DB").arg("anchor").arg("--old").arg(old).arg("--new").arg(new);
    command.arg("--selectors").arg(selectors);
    if json {
        command.arg("--json");
    }
    let output = command.output().expect("run factdesk");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// A selector for `exact` in `text`, its first occurrence, in code points with 32 of context.
fn selector(text: &str, exact: &str) -> Value {
    let byte = text.find(exact).expect("in the text");
    let start = text[..byte].chars().count();
    let end = start + exact.chars().count();
    let chars: Vec<char> = text.chars().collect();
    let prefix: String = chars[start.saturating_sub(32)..start].iter().collect();
    let suffix: String = chars[end..(end + 32).min(chars.len())].iter().collect();
    json!({"exact": exact, "prefix": prefix, "suffix": suffix, "start": start, "end": end})
}

fn lines(stdout: &str) -> Vec<Value> {
    stdout.lines().map(|line| serde_json::from_str(line).expect("a JSON line")).collect()
}

/// The text at code points `start..end`.
fn at(text: &str, line: &Value) -> String {
    let at = |key: &str| usize::try_from(line[key].as_u64().expect("a position")).expect("small");
    let (start, end) = (at("start"), at("end"));
    text.chars().skip(start).take(end - start).collect()
}

#[test]
fn places_each_selector_in_order_in_code_points_then_times_the_run() {
    let old = "Zoë’s café 😀 opened in 2019.\n\nThe council approved $4.2 million, records show.\n\n\
               The mayor declined to comment.\n\nResidents objected.";
    // A paragraph added above (accents and an emoji shift code points, not bytes), a figure corrected,
    // one sentence deleted, one pasted twice.
    let new = "Update: Zoë’s café 😀 reopened.\n\nZoë’s café 😀 opened in 2019.\n\n\
               The council approved $4.3 million, records show.\n\nResidents objected.\n\nResidents objected.";
    let quotes = [
        "Zoë’s café 😀 opened in 2019.",
        "The council approved $4.2 million",
        "The mayor declined to comment.",
        "Residents objected.",
    ];
    let selectors: Vec<Value> = quotes.iter().map(|q| selector(old, q)).collect();
    let (ok, stdout, stderr) = anchor(old, new, &serde_json::to_string(&selectors).unwrap(), true);
    assert!(ok, "{stderr}");
    let lines = lines(&stdout);
    assert_eq!(lines.len(), 5, "{stdout}");
    for line in &lines[..4] {
        let keys: Vec<&str> = line.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys.len(), 5, "{line}");
        for key in ["state", "start", "end", "confidence", "candidates"] {
            assert!(keys.contains(&key), "{line}");
        }
    }
    assert_eq!(lines[0]["state"], "anchored");
    assert_eq!(at(new, &lines[0]), quotes[0]);
    assert_eq!(lines[0]["start"], 32, "code points, not bytes: {}", lines[0]);
    assert_eq!(lines[0]["confidence"], 1.0);
    assert_eq!(lines[1]["state"], "fuzzy");
    assert_eq!(at(new, &lines[1]), "The council approved $4.3 million");
    assert_eq!(lines[2]["state"], "orphaned");
    assert_eq!(lines[2]["start"], Value::Null);
    assert_eq!(lines[2]["end"], Value::Null);
    assert_eq!(lines[3]["state"], "ambiguous");
    assert_eq!(lines[3]["start"], Value::Null);
    let candidates = lines[3]["candidates"].as_array().unwrap();
    assert_eq!(candidates.len(), 2, "{}", lines[3]);
    for candidate in candidates {
        assert_eq!(at(new, candidate), "Residents objected.");
    }
    let timing = lines[4].as_object().unwrap();
    assert_eq!(timing.len(), 1, "{stdout}");
    assert!(timing["elapsed_ms"].as_f64().unwrap() >= 0.0, "{stdout}");
}

#[test]
fn text_files_are_read_as_they_are_and_an_empty_list_is_just_the_timing() {
    // CRLF line endings are kept: positions count the carriage returns.
    let old = "First line.\r\nSecond line here.\r\n";
    let new = "New first line.\r\nFirst line.\r\nSecond line here.\r\n";
    let selectors = serde_json::to_string(&[selector(old, "Second line here.")]).unwrap();
    let (ok, stdout, stderr) = anchor(old, new, &selectors, true);
    assert!(ok, "{stderr}");
    let lines = lines(&stdout);
    assert_eq!(lines[0]["state"], "anchored");
    assert_eq!(lines[0]["start"], 30);
    assert_eq!(at(new, &lines[0]), "Second line here.");

    let (ok, stdout, stderr) = anchor(old, new, "[]", true);
    assert!(ok, "{stderr}");
    let lines = self::lines(&stdout);
    assert_eq!(lines.len(), 1, "{stdout}");
    assert!(lines[0]["elapsed_ms"].is_number());
}

#[test]
fn bad_input_is_refused_with_the_selector_it_concerns() {
    let old = "The council met on Monday. It approved the budget.";
    let new = "The council met on Tuesday. It approved the budget.";
    let good = selector(old, "It approved the budget.");
    let cases: Vec<(String, &str)> = vec![
        ("not json".to_string(), "not a JSON list of selectors"),
        (r#"{"exact": "It"}"#.to_string(), "not a JSON list of selectors"),
        (json!([good, {"exact": "It approved"}]).to_string(), "selector 1: missing field `start`"),
        (
            json!([good, {"exact": "It", "start": 27, "end": 900}]).to_string(),
            "selector 1: 27..900 is outside --old, which has 50 code points",
        ),
        (json!([{"exact": "", "start": 3, "end": 3}]).to_string(), "selector 0: empty"),
        (
            json!([good, good, {"exact": "It approved", "start": 0, "end": 11}]).to_string(),
            "selector 2: --old has \"The council\" at 0..11, not its exact \"It approved\"",
        ),
        (json!([{"exact": "It", "start": "27", "end": 29}]).to_string(), "selector 0: invalid type"),
    ];
    for (selectors, message) in cases {
        let (ok, stdout, stderr) = anchor(old, new, &selectors, true);
        assert!(!ok, "{selectors} was accepted: {stdout}");
        assert!(stdout.is_empty(), "{stdout}");
        assert!(stderr.contains(message), "{selectors}: {stderr}");
    }

    // Missing files and text that is not UTF-8 are named.
    let tmp = tempfile::tempdir().unwrap();
    let selectors = tmp.path().join("s.json");
    std::fs::write(&selectors, "[]").unwrap();
    let text = tmp.path().join("old.txt");
    std::fs::write(&text, old).unwrap();
    let (ok, _, stderr) = run(&tmp.path().join("absent.txt"), &text, &selectors, true);
    assert!(!ok && stderr.contains("--old") && stderr.contains("absent.txt"), "{stderr}");
    let latin1 = tmp.path().join("latin1.txt");
    std::fs::write(&latin1, b"caf\xe9").unwrap();
    let (ok, _, stderr) = run(&text, &latin1, &selectors, true);
    assert!(!ok && stderr.contains("--new") && stderr.contains("not UTF-8"), "{stderr}");
}

#[test]
fn without_json_it_prints_a_line_per_selector() {
    let old = "The council met on Monday. It approved the budget.";
    let new = "Breaking. The council met on Monday. It approved the budget.";
    let selectors = serde_json::to_string(&[selector(old, "It approved the budget.")]).unwrap();
    let (ok, stdout, stderr) = anchor(old, new, &selectors, false);
    assert!(ok, "{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(lines[0].starts_with("anchored") && lines[0].contains("37..60"), "{stdout}");
    assert!(lines[1].ends_with(" ms"), "{stdout}");
}
