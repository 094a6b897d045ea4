//! The core's layering, checked on its sources: SQL is written only in
//! `src/store/` (so a second engine has one place to implement), and the
//! core's top-level modules depend on each other without a cycle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable source folder") {
            let path = entry.expect("folder entry").path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// A Rust source split into its code (comments and literals blanked) and
/// its string literals, each with its line.
struct Lexed {
    code: String,
    literals: Vec<(usize, String)>,
}

fn lex(text: &str) -> Lexed {
    let chars: Vec<char> = text.chars().collect();
    let mut code = String::with_capacity(text.len());
    let mut literals = Vec::new();
    let mut line = 1;
    let mut i = 0;
    let count_lines = |s: &[char]| s.iter().filter(|c| **c == '\n').count();
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let start = i;
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            line += count_lines(&chars[start..i]);
            code.push(' ');
        } else if c == 'r' && (next == Some('"') || next == Some('#')) && !prev_is_ident(&chars, i) {
            // A raw string: r"…", r#"…"#.
            let mut j = i + 1;
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                code.push(c);
                i += 1;
                continue;
            }
            let start = j + 1;
            let mut k = start;
            loop {
                if k >= chars.len() {
                    break;
                }
                if chars[k] == '"' && (0..hashes).all(|h| chars.get(k + 1 + h) == Some(&'#')) {
                    break;
                }
                k += 1;
            }
            let literal: String = chars[start..k.min(chars.len())].iter().collect();
            literals.push((line, literal));
            line += count_lines(&chars[i..k.min(chars.len())]);
            code.push_str("\"\"");
            i = k + 1 + hashes;
        } else if c == '"' {
            let start = i + 1;
            let mut k = start;
            let mut literal = String::new();
            while k < chars.len() && chars[k] != '"' {
                if chars[k] == '\\' {
                    // A line continuation drops the newline and the next line's indent.
                    if chars.get(k + 1) == Some(&'\n') {
                        k += 2;
                        while chars.get(k).is_some_and(|c| c.is_whitespace()) {
                            k += 1;
                        }
                        literal.push(' ');
                        continue;
                    }
                    literal.push(chars[k]);
                    literal.extend(chars.get(k + 1));
                    k += 2;
                    continue;
                }
                literal.push(chars[k]);
                k += 1;
            }
            literals.push((line, literal));
            line += count_lines(&chars[i..k.min(chars.len())]);
            code.push_str("\"\"");
            i = k + 1;
        } else if c == '\'' {
            // A char literal ('x', '\n', '\'') is skipped; a lifetime ('a) is code.
            if next == Some('\\') {
                let mut k = i + 2;
                while k < chars.len() && chars[k] != '\'' {
                    k += 1;
                }
                code.push_str("' '");
                i = k + 1;
            } else if chars.get(i + 2) == Some(&'\'') {
                code.push_str("' '");
                i += 3;
            } else {
                code.push(c);
                i += 1;
            }
        } else {
            if c == '\n' {
                line += 1;
            }
            code.push(c);
            i += 1;
        }
    }
    Lexed { code, literals }
}

fn prev_is_ident(chars: &[char], i: usize) -> bool {
    i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_')
}

/// Whether a string literal reads as SQL: the statement shapes Factdesk
/// writes, in upper case as the house writes them.
fn looks_like_sql(literal: &str) -> bool {
    let text = literal.split_whitespace().collect::<Vec<_>>().join(" ");
    let has = |needle: &str| text.contains(needle);
    let starts = |word: &str| text.starts_with(word);
    (has("SELECT ") && has(" FROM "))
        || has("INSERT INTO ")
        || (has("UPDATE ") && has(" SET "))
        || has("DELETE FROM ")
        || has("CREATE TABLE")
        || has("CREATE INDEX")
        || has("ALTER TABLE")
        || has("PRAGMA ")
        || starts("SAVEPOINT")
        || starts("RELEASE ")
        || starts("ROLLBACK")
        || starts("BEGIN")
        || has(" RETURNING ")
        || (has(" FROM ") && has(" WHERE "))
        || (has(" IS NULL") && has(" = ?"))
}

#[test]
fn the_sql_detector_tells_sql_from_prose() {
    assert!(looks_like_sql("SELECT id FROM claims WHERE draft_id = ?1"));
    assert!(looks_like_sql("UPDATE notes\n   SET text = ?2 WHERE id = ?1"));
    assert!(looks_like_sql("DELETE FROM evidence WHERE id = ?1"));
    assert!(looks_like_sql("PRAGMA wal_checkpoint(TRUNCATE)"));
    assert!(looks_like_sql("s.id, s.desk_id FROM sources s WHERE s.removed_at IS NULL"));
    assert!(!looks_like_sql("the draft cannot be marked ready"));
    assert!(!looks_like_sql("select a source from the register"));
    assert!(!looks_like_sql("claim.status"));
    let lexed = lex("let a = \"SELECT x FROM t\"; // \"UPDATE t SET x\"\nlet b = r#\"DELETE FROM t\"#; let c = '\"';");
    let literals: Vec<&str> = lexed.literals.iter().map(|(_, l)| l.as_str()).collect();
    assert_eq!(literals, ["SELECT x FROM t", "DELETE FROM t"], "comments and char literals are not strings");
}

#[test]
fn no_sql_outside_the_store() {
    let src = src_dir();
    let store = src.join("store");
    let mut found = Vec::new();
    for path in sources(&src).into_iter().filter(|p| !p.starts_with(&store)) {
        let text = std::fs::read_to_string(&path).expect("readable source");
        for (line, literal) in lex(&text).literals {
            if looks_like_sql(&literal) {
                let shown: String = literal.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(80).collect();
                found.push(format!("{}:{line}: {shown}", path.strip_prefix(&src).unwrap_or(&path).display()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "SQL belongs in crates/core/src/store/ (behind a method named for what it does), found:\n{}",
        found.join("\n")
    );
}

/// Blanks `#[cfg(test)]` items (a test module may reach anywhere).
fn without_tests(code: &str) -> String {
    let mut out = code.to_owned();
    while let Some(at) = out.find("#[cfg(test)]") {
        let Some(open) = out[at..].find('{').map(|o| at + o) else { break };
        let mut depth = 0;
        let mut end = out.len();
        for (offset, c) in out[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + offset + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        out.replace_range(at..end, "");
    }
    out
}

/// The top-level module a source file belongs to (`sourcing/note.rs` → `sourcing`).
fn module_of(src: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(src).unwrap_or(path);
    let first = relative.components().next().map(|c| c.as_os_str().to_string_lossy().into_owned()).unwrap_or_default();
    first.trim_end_matches(".rs").to_owned()
}

/// Which top-level modules each one names, through `crate::name` anywhere in
/// its code (a `use` line or a path written inline) or `use crate::{a, b}`.
fn module_graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = src_dir();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for path in sources(&src) {
        let module = module_of(&src, &path);
        if module == "lib" {
            continue;
        }
        let code = without_tests(&lex(&std::fs::read_to_string(&path).expect("readable source")).code);
        let uses = graph.entry(module.clone()).or_default();
        let ident = |s: &str| s.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect::<String>();
        for (at, _) in code.match_indices("crate::") {
            let rest = &code[at + "crate::".len()..];
            if let Some(group) = rest.strip_prefix('{') {
                let group = &group[..group.find('}').unwrap_or(group.len())];
                uses.extend(group.split(',').map(|part| ident(part.trim())).filter(|n| !n.is_empty()));
            } else {
                uses.insert(ident(rest));
            }
        }
        uses.remove(&module);
        uses.retain(|n| !n.is_empty() && n != "self");
    }
    graph
}

/// A cycle in `graph`, as the modules along it, if there is one.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|n| n == node) {
            let mut cycle = path[start..].to_vec();
            cycle.push(node.to_owned());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

/// Dependencies that still point up the layers (folder → ingest → store →
/// audit → claims (`review`) → sourcing, rules, history, vault → desk,
/// report), each closing a cycle. The list may only shrink: an entry whose
/// dependency is gone fails the test, so it is taken off when it is broken.
const CYCLES_LEFT: &[(&str, &str)] = &[];

#[test]
fn the_detector_finds_a_cycle_and_its_modules() {
    let graph: BTreeMap<String, BTreeSet<String>> =
        [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")].into_iter().fold(BTreeMap::new(), |mut g, (from, to)| {
            g.entry(from.to_owned()).or_insert_with(BTreeSet::new).insert(to.to_owned());
            g
        });
    assert_eq!(find_cycle(&graph), Some(vec!["a".into(), "b".into(), "c".into(), "a".into()]));
    let code = without_tests(&lex("use crate::{store::Store, audit};\nfn f() { crate::review::x(); }\n#[cfg(test)]\nmod tests { use crate::desk; }").code);
    assert!(code.contains("crate::review") && !code.contains("crate::desk"), "{code}");
}

#[test]
fn no_import_cycle_among_the_core_modules() {
    let mut graph = module_graph();
    let mut stale = Vec::new();
    for (from, to) in CYCLES_LEFT {
        if !graph.get_mut(*from).is_some_and(|uses| uses.remove(*to)) {
            stale.push(format!("{from} -> {to}"));
        }
    }
    assert!(stale.is_empty(), "these dependencies are gone: take them off CYCLES_LEFT: {}", stale.join(", "));
    if let Some(cycle) = find_cycle(&graph) {
        let edges: Vec<String> = graph
            .iter()
            .map(|(m, uses)| format!("  {m} -> {}", Vec::from_iter(uses.iter().cloned()).join(", ")))
            .collect();
        panic!(
            "import cycle among the core's modules: {}\n(the modules and what they use:\n{})",
            cycle.join(" -> "),
            edges.join("\n")
        );
    }
}
