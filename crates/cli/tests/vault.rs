//! The vault through the real binary (issue 10): sealed at rest, locked
//! without the passphrase, reveals audited with the reviewer, file modes.

mod engine;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

struct Cli {
    db: PathBuf,
    passphrase_file: Option<PathBuf>,
}

impl Cli {
    fn run(&self, args: &[&str], stdin: &str) -> (bool, String, String) {
        let mut command = Command::new(env!("CARGO_BIN_EXE_factdesk"));
        command.arg("--db").arg(engine::db(&self.db)).env_remove("FACTDESK_DB").env("USER", "someone-else").args(args);
        match &self.passphrase_file {
            Some(file) => command.env("FACTDESK_PASSPHRASE_FILE", file),
            None => command.env_remove("FACTDESK_PASSPHRASE_FILE"),
        };
        engine::run_with_input(&mut command, stdin)
    }

    fn ok(&self, args: &[&str], stdin: &str) -> String {
        let (ok, out, err) = self.run(args, stdin);
        assert!(ok, "factdesk {args:?} failed: {err}");
        out
    }

    fn with(&self, passphrase_file: Option<&Path>) -> Self {
        Self { db: self.db.clone(), passphrase_file: passphrase_file.map(Path::to_owned) }
    }
}

/// Every encoding a stray copy of `secret` could take.
fn encodings(secret: &str) -> Vec<Vec<u8>> {
    let utf16le: Vec<u8> = secret.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let utf16be: Vec<u8> = secret.encode_utf16().flat_map(u16::to_be_bytes).collect();
    let hex_lower: String = secret.bytes().map(|b| format!("{b:02x}")).collect();
    let hex_upper = hex_lower.to_uppercase();
    let mut found = vec![secret.as_bytes().to_vec(), utf16le, utf16be, hex_lower.into_bytes(), hex_upper.into_bytes()];
    // Base64 at each of the three alignments: the middle of the encoded text is stable.
    for skip in 0..3 {
        let encoded = base64(&secret.as_bytes()[skip..]);
        found.push(encoded.as_bytes()[4..encoded.len() - 4].to_vec());
    }
    found
}

fn base64(bytes: &[u8]) -> String {
    const TABLE: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(TABLE[((n >> (18 - 6 * i)) & 63) as usize] as char);
            }
        }
    }
    out
}

fn assert_nowhere(secret: &str, files: &[PathBuf]) {
    for file in files {
        let Ok(bytes) = std::fs::read(file) else { continue };
        for needle in encodings(secret) {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle.as_slice()),
                "{} holds {secret:?} (as {:?})",
                file.display(),
                String::from_utf8_lossy(&needle)
            );
        }
    }
}

fn database_files(db: &Path) -> Vec<PathBuf> {
    ["", "-wal", "-shm"]
        .iter()
        .map(|suffix| {
            let mut name = db.as_os_str().to_owned();
            name.push(suffix);
            PathBuf::from(name)
        })
        .collect()
}

/// A desk folder `desk` in `dir` holding one draft, `a.md`: its path.
fn desk_holding(dir: &Path, draft: &str) -> String {
    let desk = dir.join("desk");
    std::fs::create_dir(&desk).expect("desk");
    std::fs::write(desk.join("a.md"), draft).expect("draft");
    desk.to_str().expect("utf-8").to_owned()
}

#[test]
fn a_vaulted_desk_keeps_identities_sealed_locked_and_audited() {
    let tmp = tempfile::tempdir().expect("tmp");
    let desk = desk_holding(tmp.path(), "# A draft\n\nA diplomat said so.\n");
    let d = desk.as_str();
    let data = tmp.path().join("data");
    let db = data.join("factdesk.db");
    let locked = Cli { db: db.clone(), passphrase_file: None };
    let passphrase = tmp.path().join("passphrase");
    std::fs::write(&passphrase, "correct horse battery staple\n").expect("passphrase");
    let unlocked = locked.with(Some(&passphrase));

    // The reviewer set in Factdesk is recorded, whatever $USER says.
    locked.ok(&["reviewer", "set", "Ana Editor"], "");
    // Before the vault: plain text, as a database from before this feature.
    let legacy = "Quixotl Zembrano-Farquharsen";
    let first =
        locked.ok(&["source", "add", d, "--descriptor", "a diplomat", "--kind", "unnamed", "--identity", "-"], legacy);
    let first = first.trim();

    let init = unlocked.ok(&["vault", "init", d], "");
    assert!(init.contains("Recovery key"), "{init}");
    let recovery_key = init.lines().last().expect("the key on the last line").trim().to_owned();
    assert_eq!(recovery_key.len(), 71, "{init}");
    // Added after the vault: sealed from the first write.
    let later = "Wilhelmina Xorbatrix-Pennyfeather";
    let (ok, _, err) =
        locked.run(&["source", "add", d, "--descriptor", "an aide", "--kind", "unnamed", "--identity", "-"], later);
    assert!(!ok && err.contains("locked"), "a locked vault writes nothing: {err}");
    let second =
        unlocked.ok(&["source", "add", d, "--descriptor", "an aide", "--kind", "unnamed", "--identity", "-"], later);
    let second = second.trim();
    let sources = locked.ok(&["sources", d, "--json"], "");
    assert_eq!(sources.matches("\"descriptor\"").count(), 2, "the aide was added once: {sources}");

    // Reveal: locked without the passphrase, refused with a wrong one, printed and audited with it.
    let (ok, out, err) = locked.run(&["source", "show", first, "--reveal"], "");
    assert!(!ok && err.contains("vault") && err.contains("locked") && !out.contains(legacy), "{err}");
    let wrong = tmp.path().join("wrong");
    std::fs::write(&wrong, "not the passphrase").expect("wrong");
    let (ok, _, err) = locked.with(Some(&wrong)).run(&["source", "show", first, "--reveal"], "");
    assert!(!ok && err.contains("wrong passphrase"), "{err}");
    assert!(unlocked.ok(&["source", "show", first, "--reveal"], "").contains(legacy));
    assert!(unlocked.ok(&["source", "show", second, "--reveal"], "").contains(later));
    let log = locked.ok(&["audit", "log", "--json"], "");
    let reveals: Vec<&str> = log.lines().filter(|l| l.contains("source.reveal")).collect();
    assert!(!reveals.is_empty(), "{log}");
    // The reviewer set in Factdesk on SQLite; on a team store, the database login.
    let actor = if engine::on_postgres() { engine::LOGIN } else { "Ana Editor" };
    assert!(log.contains(actor) && !log.contains("someone-else"), "{log}");

    // Passphrase change and key rotation: the fields still open, with the new passphrase only.
    let renewed = tmp.path().join("renewed");
    std::fs::write(&renewed, "a whole new passphrase").expect("renewed");
    let (ok, _, err) = Command::new(env!("CARGO_BIN_EXE_factdesk"))
        .arg("--db")
        .arg(engine::db(&db))
        .args(["vault", "passwd", d])
        .env("FACTDESK_PASSPHRASE_FILE", &passphrase)
        .env("FACTDESK_NEW_PASSPHRASE_FILE", &renewed)
        .output()
        .map(|o| (o.status.success(), (), String::from_utf8_lossy(&o.stderr).into_owned()))
        .expect("passwd");
    assert!(ok, "{err}");
    let (ok, _, _) = unlocked.run(&["source", "show", first, "--reveal"], "");
    assert!(!ok, "the old passphrase no longer opens the vault");
    let renewed_cli = locked.with(Some(&renewed));
    let rotated = renewed_cli.ok(&["vault", "rotate", d], "");
    assert!(rotated.contains("recovery key"), "{rotated}");
    assert!(renewed_cli.ok(&["source", "show", second, "--reveal"], "").contains(later));

    // Lost passphrase: the recovery key opens the vault and sets a new one.
    let recovery_file = tmp.path().join("recovery");
    std::fs::write(&recovery_file, format!("{recovery_key}\n")).expect("recovery");
    let (ok, _, err) = Command::new(env!("CARGO_BIN_EXE_factdesk"))
        .arg("--db")
        .arg(engine::db(&db))
        .args(["vault", "recover", d])
        .env("FACTDESK_RECOVERY_KEY_FILE", &recovery_file)
        .env("FACTDESK_NEW_PASSPHRASE_FILE", &passphrase)
        .output()
        .map(|o| (o.status.success(), (), String::from_utf8_lossy(&o.stderr).into_owned()))
        .expect("recover");
    assert!(!ok && err.contains("recovery key"), "a rotation retired the first recovery key: {err}");
    let new_recovery = rotated.lines().last().expect("the new key").trim().to_owned();
    std::fs::write(&recovery_file, format!("{new_recovery}\n")).expect("recovery");
    let recovered = Command::new(env!("CARGO_BIN_EXE_factdesk"))
        .arg("--db")
        .arg(engine::db(&db))
        .args(["vault", "recover", d])
        .env("FACTDESK_RECOVERY_KEY_FILE", &recovery_file)
        .env("FACTDESK_NEW_PASSPHRASE_FILE", &renewed)
        .output()
        .expect("recover");
    assert!(recovered.status.success(), "{}", String::from_utf8_lossy(&recovered.stderr));

    // Cleared: gone from the file too.
    renewed_cli.ok(&["source", "set", second, "--identity", ""], "");
    assert!(!renewed_cli.ok(&["source", "show", second, "--reveal"], "").contains(later));

    // A desk-profile report never holds an identity.
    let desk_report = locked.ok(&["export", d, "--format", "json"], "");
    assert!(!desk_report.contains(legacy) && !desk_report.contains(later));

    if engine::on_postgres() {
        return; // the rest is about the SQLite file and its companions
    }
    // No plain identity in the database, its WAL or shared memory.
    let mut files = database_files(&db);
    files.push(db.with_file_name("factdesk.db.audit-head"));
    assert_nowhere(legacy, &files);
    assert_nowhere(later, &files);

    // File modes: the data folder 0700, the database and its companions 0600.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).expect("stat").permissions().mode() & 0o777;
        assert_eq!(mode(&data), 0o700);
        for file in database_files(&db).iter().filter(|f| f.exists()) {
            assert_eq!(mode(file), 0o600, "{}", file.display());
        }
    }
}

#[test]
fn an_existing_world_readable_database_is_made_owner_only_on_open() {
    if engine::on_postgres() {
        return; // about the SQLite file and its backups
    }
    let tmp = tempfile::tempdir().expect("tmp");
    let db = tmp.path().join("factdesk.db");
    let cli = Cli { db: db.clone(), passphrase_file: None };
    cli.ok(&["reviewer", "set", "Ana"], "");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        assert_eq!(cli.ok(&["reviewer", "show"], "").trim(), "Ana");
        assert_eq!(std::fs::metadata(&db).expect("stat").permissions().mode() & 0o777, 0o600);
    }
}

/// Every file under `dir`, recursively.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return found };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files_under(&path));
        } else {
            found.push(path);
        }
    }
    found
}

/// Like [`assert_nowhere`], for text: also as JSON and HTML escape it.
fn assert_not_in_text(secret: &str, what: &str, text: &str) {
    let json_escaped: String = secret.chars().map(|c| format!("\\u{:04x}", u32::from(c))).collect();
    let html_decimal: String = secret.chars().map(|c| format!("&#{};", u32::from(c))).collect();
    let html_hex: String = secret.chars().map(|c| format!("&#x{:x};", u32::from(c))).collect();
    for needle in [json_escaped, html_decimal, html_hex] {
        assert!(!text.to_lowercase().contains(&needle.to_lowercase()), "{what} holds {secret:?} as {needle}");
    }
}

/// The "Done when" of issue 10: add, edit, clear and delete unnamed sources
/// with distinctive identities, export every desk-profile format, back up
/// (plain rotating and encrypted); then no identity is in any byte of the
/// database, its -wal and -shm, the data folder, the temporary files the
/// processes made, the exports, the backups, or any stdout and stderr, in
/// UTF-8, UTF-16 (LE/BE), hex, base64, JSON or HTML escapes.
#[test]
fn no_identity_reaches_any_file_output_or_backup_in_any_encoding() {
    if engine::on_postgres() {
        return; // about the SQLite file and its backups
    }
    let tmp = tempfile::tempdir().expect("tmp");
    let desk = desk_holding(tmp.path(), "# Plant fire\n\nSix workers were hurt, a senior manager said.\n");
    let d = desk.as_str();
    let data = tmp.path().join("data");
    let db = data.join("factdesk.db");
    let temp = tmp.path().join("temp");
    std::fs::create_dir(&temp).expect("temp");
    let exports = tmp.path().join("exports");
    std::fs::create_dir(&exports).expect("exports");
    let passphrase = tmp.path().join("passphrase");
    std::fs::write(&passphrase, "correct horse battery staple\n").expect("passphrase");
    let mut outputs = String::new();
    let mut run = |args: &[&str], stdin: &str| -> String {
        let (ok, out, err) = engine::run_with_input(
            Command::new(env!("CARGO_BIN_EXE_factdesk"))
                .arg("--db")
                .arg(engine::db(&db))
                .args(args)
                .env_remove("FACTDESK_DB")
                .env("TMPDIR", &temp)
                .env("FACTDESK_PASSPHRASE_FILE", &passphrase),
            stdin,
        );
        assert!(ok, "factdesk {args:?} failed: {err}");
        outputs.push_str(&out);
        outputs.push_str(&err);
        out.trim().to_owned()
    };

    let identities =
        ["Zephyrine Oakenshaw-Mbeki", "Bartholomew Quillfeather", "Ysolde Marchetti-Kwan", "Cornelius Vantablack"];
    let contact = "zephyrine.oakenshaw@example.invalid";
    run(&["reviewer", "set", "Ana Editor"], "");
    // One recorded before the vault (plain, then sealed and scrubbed by `vault init`), the others after.
    let first = run(
        &["source", "add", d, "--descriptor", "a senior manager", "--kind", "unnamed", "--identity", "-"],
        identities[0],
    );
    run(&["source", "set", &first, "--contact", "-"], contact);
    run(&["vault", "init", d], "");
    let second =
        run(&["source", "add", d, "--descriptor", "a worker", "--kind", "unnamed", "--identity", "-"], identities[1]);
    let third =
        run(&["source", "add", d, "--descriptor", "a nurse", "--kind", "unnamed", "--identity", "-"], identities[2]);
    // Edited (the old value must not survive), cleared, deleted.
    run(&["source", "set", &second, "--identity", "-"], identities[3]);
    run(&["source", "set", &third, "--identity", ""], "");
    run(&["source", "rm", &first], "");
    let shown = run(&["source", "show", &second, "--reveal"], "");
    assert!(shown.contains(identities[3]), "the reveal shows the edited identity: {shown}");

    for format in ["md", "html", "json", "csv", "annotation", "claimreview"] {
        let file = exports.join(format!("desk.{format}"));
        run(&["export", d, "--format", format, "-o", file.to_str().expect("utf-8")], "");
        run(&["export", d, "--format", format], "");
    }
    run(&["backup", "now"], "");
    let encrypted = exports.join("backup.age");
    run(&["backup", "-o", encrypted.to_str().expect("utf-8")], "");
    // The revealed identity was printed on purpose: the one stdout asked to show it is left out.
    outputs = outputs.replace(identities[3], "");

    let mut files = database_files(&db);
    files.extend(files_under(&data));
    files.extend(files_under(&temp));
    files.extend(files_under(&exports));
    assert!(files.iter().any(|f| f.starts_with(data.join("backups"))), "a rotating backup was made: {files:?}");
    assert!(files.contains(&encrypted));
    let output_file = tmp.path().join("outputs.txt");
    std::fs::write(&output_file, &outputs).expect("outputs");
    files.push(output_file);
    for identity in identities.iter().chain([&contact]) {
        assert_nowhere(identity, &files);
        for file in &files {
            let text = String::from_utf8_lossy(&std::fs::read(file).unwrap_or_default()).into_owned();
            assert_not_in_text(identity, &file.display().to_string(), &text);
        }
    }
}

#[test]
fn an_encrypted_backup_restores_the_database_and_refuses_a_wrong_passphrase_or_a_database_in_use() {
    if engine::on_postgres() {
        return; // about the SQLite file and its backups
    }
    let tmp = tempfile::tempdir().expect("tmp");
    let desk = desk_holding(tmp.path(), "# A draft\n\nA diplomat said so.\n");
    let d = desk.as_str();
    let db = tmp.path().join("data").join("factdesk.db");
    let passphrase = tmp.path().join("passphrase");
    std::fs::write(&passphrase, "correct horse battery staple\n").expect("passphrase");
    let cli = Cli { db: db.clone(), passphrase_file: Some(passphrase.clone()) };
    cli.ok(&["reviewer", "set", "Ana Editor"], "");
    cli.ok(&["vault", "init", d], "");
    let identity = "Philippa Gorseworthy-Ndiaye";
    let id =
        cli.ok(&["source", "add", d, "--descriptor", "a diplomat", "--kind", "unnamed", "--identity", "-"], identity);
    let backup = tmp.path().join("take-away.age");
    let b = backup.to_str().expect("utf-8");
    let written = cli.ok(&["backup", "-o", b], "");
    assert!(written.contains("encrypted backup written"), "{written}");
    let bytes = std::fs::read(&backup).expect("backup");
    assert!(bytes.starts_with(b"age-encryption.org/v1"), "an age file");
    assert!(!bytes.windows(6).any(|w| w == b"SQLite"), "nothing of the database in plain");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&backup).expect("stat").permissions().mode() & 0o777, 0o600);
    }
    // The backup is never written over the database itself.
    let (ok, _, err) = cli.run(&["backup", "-o", db.to_str().expect("utf-8")], "");
    assert!(!ok && err.contains("the database"), "{err}");

    // After the backup: a second source, gone again once the backup is restored.
    cli.ok(&["source", "add", d, "--descriptor", "an aide", "--kind", "unnamed"], "");
    let wrong = tmp.path().join("wrong");
    std::fs::write(&wrong, "not the passphrase at all").expect("wrong");
    let (ok, _, err) = cli.with(Some(&wrong)).run(&["restore", b], "");
    assert!(!ok && err.contains("does not open with this passphrase"), "{err}");
    assert_eq!(cli.ok(&["sources", d, "--json"], "").matches("\"descriptor\"").count(), 2, "nothing changed");

    // In use: refused while another connection has the database open.
    let holder = rusqlite::Connection::open(&db).expect("open");
    holder.query_row("SELECT count(*) FROM sources", [], |row| row.get::<_, i64>(0)).expect("read");
    let (ok, _, err) = cli.run(&["restore", b], "");
    assert!(!ok && err.contains("in use"), "{err}");
    drop(holder);

    let restored = cli.ok(&["restore", b], "");
    assert!(restored.contains("as it was is in"), "{restored}");
    assert_eq!(cli.ok(&["sources", d, "--json"], "").matches("\"descriptor\"").count(), 1, "the backup's state");
    assert!(cli.ok(&["source", "show", id.trim(), "--reveal"], "").contains(identity), "sealed fields open as before");
    let kept: Vec<_> = std::fs::read_dir(db.parent().expect("data"))
        .expect("data")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("before-restore"))
        .collect();
    assert_eq!(kept.len(), 1, "the old database kept aside");

    // A restore into a new place (--db) needs no database there.
    let elsewhere = Cli { db: tmp.path().join("elsewhere").join("f.db"), passphrase_file: Some(passphrase) };
    elsewhere.ok(&["restore", b], "");
    assert_eq!(elsewhere.ok(&["reviewer", "show"], "").trim(), "Ana Editor");
}

#[test]
fn wrong_passphrases_on_the_command_line_are_slowed_down() {
    let tmp = tempfile::tempdir().expect("tmp");
    let desk = desk_holding(tmp.path(), "# A draft\n\nA diplomat said so.\n");
    let d = desk.as_str();
    let passphrase = tmp.path().join("passphrase");
    std::fs::write(&passphrase, "correct horse battery staple\n").expect("passphrase");
    let cli = Cli { db: tmp.path().join("f.db"), passphrase_file: Some(passphrase) };
    cli.ok(&["vault", "init", d], "");
    let id = cli.ok(&["source", "add", d, "--descriptor", "a diplomat", "--kind", "unnamed", "--identity", "-"], "X Y");
    let wrong = tmp.path().join("wrong");
    std::fs::write(&wrong, "not the passphrase").expect("wrong");
    for _ in 0..3 {
        let (ok, _, err) = cli.with(Some(&wrong)).run(&["source", "show", id.trim(), "--reveal"], "");
        assert!(!ok && err.contains("wrong passphrase"), "{err}");
    }
    let (ok, _, err) = cli.run(&["source", "show", id.trim(), "--reveal"], "");
    assert!(!ok && err.contains("try again in") && err.contains("nothing was changed"), "{err}");
}

/// A D-Bus session bus of the test's own, and optionally GNOME Keyring on it
/// (unlocked with a password on stdin, as at a desktop login): the real
/// Secret Service, in a throwaway home, never the developer's keyring. Both
/// daemons are the test's children, killed when it ends.
struct SecretService {
    address: String,
    home: PathBuf,
    daemons: Vec<std::process::Child>,
}

impl SecretService {
    /// A bus with no service on it (and none it would start on demand: the
    /// configuration names no service folder).
    fn bus_only(dir: &Path) -> Self {
        let home = dir.join("home");
        std::fs::create_dir_all(home.join("run")).expect("home");
        let config = dir.join("bus.conf");
        std::fs::write(
            &config,
            format!(
                "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n \
                 \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n\
                 <busconfig><type>session</type><listen>unix:dir={}</listen><auth>EXTERNAL</auth>\
                 <policy context=\"default\"><allow send_destination=\"*\" eavesdrop=\"true\"/>\
                 <allow eavesdrop=\"true\"/><allow own=\"*\"/></policy></busconfig>\n",
                dir.display()
            ),
        )
        .expect("bus config");
        let mut bus = Command::new("dbus-daemon")
            .arg(format!("--config-file={}", config.display()))
            .args(["--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon (Debian's dbus-daemon package; scripts/setup-system.sh installs it)");
        let mut line = String::new();
        std::io::BufRead::read_line(&mut std::io::BufReader::new(bus.stdout.take().expect("stdout")), &mut line)
            .expect("the bus's address");
        Self { address: line.trim().to_owned(), home, daemons: vec![bus] }
    }

    /// A bus with GNOME Keyring's Secret Service on it, its login keyring unlocked.
    fn gnome_keyring(dir: &Path) -> Self {
        let mut service = Self::bus_only(dir);
        let mut keyring = Command::new("gnome-keyring-daemon")
            .args(["--foreground", "--unlock", "--components=secrets"])
            .envs(service.env())
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("gnome-keyring-daemon (Debian's gnome-keyring; scripts/setup-system.sh installs it)");
        keyring.stdin.take().expect("stdin").write_all(b"the login password").expect("unlock");
        service.daemons.push(keyring);
        // Ready once it owns the Secret Service's name on the bus.
        for _ in 0..100 {
            let owned = Command::new("dbus-send")
                .args(["--session", "--print-reply", "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus"])
                .args(["org.freedesktop.DBus.NameHasOwner", "string:org.freedesktop.secrets"])
                .envs(service.env())
                .output()
                .expect("dbus-send");
            if String::from_utf8_lossy(&owned.stdout).contains("boolean true") {
                return service;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        panic!("gnome-keyring-daemon did not start its Secret Service");
    }

    fn env(&self) -> Vec<(&'static str, std::ffi::OsString)> {
        vec![
            ("DBUS_SESSION_BUS_ADDRESS", self.address.clone().into()),
            ("HOME", self.home.clone().into()),
            ("XDG_DATA_HOME", self.home.join("data").into()),
            ("XDG_RUNTIME_DIR", self.home.join("run").into()),
        ]
    }
}

impl Drop for SecretService {
    fn drop(&mut self) {
        for daemon in self.daemons.iter_mut().rev() {
            let _ = daemon.kill();
            let _ = daemon.wait();
        }
    }
}

/// Runs the real binary with `service`'s bus (or, with `None`, no session bus at all).
fn run_on(
    cli: &Cli,
    service: Option<&SecretService>,
    extra: &[(&str, &Path)],
    args: &[&str],
    stdin: &str,
) -> (bool, String, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_factdesk"));
    command.arg("--db").arg(&cli.db).env_remove("FACTDESK_DB").env("USER", "someone-else").args(args);
    command.env_remove("DBUS_SESSION_BUS_ADDRESS");
    if let Some(service) = service {
        command.envs(service.env());
    }
    match &cli.passphrase_file {
        Some(file) => command.env("FACTDESK_PASSPHRASE_FILE", file),
        None => command.env_remove("FACTDESK_PASSPHRASE_FILE"),
    };
    command.envs(extra.iter().map(|(k, v)| (*k, *v)));
    engine::run_with_input(&mut command, stdin)
}

/// "Remember on this computer" against the real Secret Service (GNOME
/// Keyring on a bus of the test's own): remember → unlocks with no
/// passphrase (audited with the reviewer) → a passphrase change keeps it →
/// a rotation here updates it → a rotation elsewhere (no keyring there)
/// makes it stale: forgotten with a clear message, the passphrase asked →
/// remember again → forget. No passphrase nor identity reaches stdout,
/// stderr or any file, the keyring's own included.
#[test]
fn remembering_a_desk_in_the_os_keyring_unlocks_it_until_stale_or_forgotten() {
    let tmp = tempfile::tempdir().expect("tmp");
    let desk = desk_holding(tmp.path(), "# A draft\n\nA diplomat said so.\n");
    let d = desk.as_str();
    let (first_passphrase, second_passphrase) = ("Ploughshare Vermilion Okapi", "Tangerine Quasar Lighthouse");
    let passphrase = tmp.path().join("passphrase");
    std::fs::write(&passphrase, format!("{first_passphrase}\n")).expect("passphrase");
    let renewed = tmp.path().join("renewed");
    std::fs::write(&renewed, format!("{second_passphrase}\n")).expect("renewed");
    let locked = Cli { db: tmp.path().join("data").join("factdesk.db"), passphrase_file: None };
    let unlocked = locked.with(Some(&passphrase));
    let identity = "Bartholomew Xiquipilco-Arrowsmith";
    let service = SecretService::gnome_keyring(tmp.path());
    // Every stdout and stderr, searched for the passphrases at the end.
    let printed = std::cell::RefCell::new(String::new());
    let on = |cli: &Cli, extra: &[(&str, &Path)], args: &[&str], stdin: &str| {
        let (ok, out, err) = run_on(cli, Some(&service), extra, args, stdin);
        printed.borrow_mut().push_str(&format!("{out}{err}"));
        (ok, out, err)
    };

    on(&locked, &[], &["reviewer", "set", "Ana Editor"], "");
    assert!(on(&unlocked, &[], &["vault", "init", d], "").0);
    let (ok, id, err) = on(
        &unlocked,
        &[],
        &["source", "add", d, "--descriptor", "an aide", "--kind", "unnamed", "--identity", "-"],
        identity,
    );
    assert!(ok, "{err}");
    let id = id.trim().to_owned();
    let reveal = ["source", "show", id.as_str(), "--reveal"];

    // Not remembered yet: locked without the passphrase, and nothing said about a keyring.
    let (ok, _, err) = on(&locked, &[], &reveal, "");
    assert!(!ok && err.contains("locked") && !err.contains("keyring"), "{err}");

    // Remember: the passphrase is checked first.
    let wrong = tmp.path().join("wrong");
    std::fs::write(&wrong, "not the passphrase at all").expect("wrong");
    let (ok, _, err) = on(&locked.with(Some(&wrong)), &[], &["vault", "remember", d], "");
    assert!(!ok && err.contains("wrong passphrase"), "{err}");
    let (ok, out, err) = on(&unlocked, &[], &["vault", "remember", d], "");
    assert!(ok && out.contains("remembers"), "{out}{err}");

    // Unlocks from the keyring: no passphrase, audited with the reviewer.
    let (ok, out, err) = on(&locked, &[], &reveal, "");
    assert!(ok && out.contains(identity), "remembered, it opens with no passphrase: {err}");
    let log = on(&locked, &[], &["audit", "log", "--json"], "").1;
    assert!(log.contains("vault.remember") && log.contains(r#"{\"with\":\"keyring\"}"#), "{log}");
    assert!(log.contains("Ana Editor") && !log.contains("someone-else"), "{log}");

    // A passphrase change keeps the desk key, so the computer stays remembered.
    let (ok, out, err) = on(&unlocked, &[("FACTDESK_NEW_PASSPHRASE_FILE", &renewed)], &["vault", "passwd", d], "");
    assert!(ok && out.contains("still remembers"), "{out}{err}");
    assert!(on(&locked, &[], &reveal, "").0, "remembered after a passphrase change");
    let renewed_cli = locked.with(Some(&renewed));

    // A rotation on this computer re-remembers it with the new key.
    let (ok, out, err) = on(&renewed_cli, &[], &["vault", "rotate", d], "");
    assert!(ok && out.contains("still remembers"), "{out}{err}");
    let (ok, out, err) = on(&locked, &[], &reveal, "");
    assert!(ok && out.contains(identity), "remembered with the new key: {err}");

    // A rotation where this keyring is out of reach (another computer): the item here goes stale.
    let (ok, out, err) = run_on(&renewed_cli, None, &[], &["vault", "rotate", d], "");
    assert!(ok && !out.contains("still remembers"), "{out}{err}");
    printed.borrow_mut().push_str(&format!("{out}{err}"));
    let (ok, _, err) = on(&locked, &[], &reveal, "");
    assert!(!ok && err.contains("no longer opens") && err.contains("forgotten") && err.contains("locked"), "{err}");
    // Forgotten for good: asked again, no more message; the passphrase opens it.
    let (ok, _, err) = on(&locked, &[], &reveal, "");
    assert!(!ok && !err.contains("no longer opens") && err.contains("locked"), "{err}");
    let (ok, out, err) = on(&renewed_cli, &[], &reveal, "");
    assert!(ok && out.contains(identity), "{err}");

    // Remember again, then forget: the passphrase is needed again.
    assert!(on(&renewed_cli, &[], &["vault", "remember", d], "").0);
    assert!(on(&locked, &[], &reveal, "").0);
    let (ok, out, err) = on(&locked, &[], &["vault", "forget", d], "");
    assert!(ok && out.contains("no longer remembers"), "{out}{err}");
    let (ok, _, err) = on(&locked, &[], &reveal, "");
    assert!(!ok && err.contains("locked"), "{err}");
    let (ok, out, _) = on(&locked, &[], &["vault", "forget", d], "");
    assert!(ok && out.contains("did not remember"), "{out}");
    let log = on(&locked, &[], &["audit", "log", "--json"], "").1;
    assert!(log.contains("vault.forget") && log.contains("no longer opens the vault"), "{log}");

    // No passphrase in any output; no passphrase nor identity in any file (keyring files included).
    drop(service);
    let printed = printed.into_inner();
    for secret in [first_passphrase, second_passphrase] {
        assert!(!printed.contains(secret), "a passphrase was printed");
        assert_not_in_text(secret, "the output", &printed);
    }
    let files: Vec<PathBuf> =
        files_under(tmp.path()).into_iter().filter(|f| f != &passphrase && f != &renewed).collect();
    assert!(files.iter().any(|f| f.starts_with(tmp.path().join("home"))), "the keyring wrote its files: {files:?}");
    for secret in [first_passphrase, second_passphrase, identity] {
        assert_nowhere(secret, &files);
    }
}

/// No Secret Service (a session bus without one, or no session bus): the
/// command line says so clearly, changes nothing, and the passphrase alone works.
#[test]
fn without_a_secret_service_remembering_is_refused_clearly_and_the_passphrase_works() {
    let tmp = tempfile::tempdir().expect("tmp");
    let desk = desk_holding(tmp.path(), "# A draft\n");
    let d = desk.as_str();
    let passphrase = tmp.path().join("passphrase");
    std::fs::write(&passphrase, "correct horse battery staple\n").expect("passphrase");
    let locked = Cli { db: tmp.path().join("f.db"), passphrase_file: None };
    let unlocked = locked.with(Some(&passphrase));
    let bus = SecretService::bus_only(tmp.path());
    assert!(run_on(&unlocked, Some(&bus), &[], &["vault", "init", d], "").0);
    let (ok, id, _) = run_on(
        &unlocked,
        Some(&bus),
        &[],
        &["source", "add", d, "--descriptor", "an aide", "--kind", "unnamed", "--identity", "-"],
        "Quentin Oxleybridge",
    );
    assert!(ok);
    let reveal = ["source", "show", id.trim(), "--reveal"];

    for service in [Some(&bus), None] {
        let (ok, _, err) = run_on(&unlocked, service, &[], &["vault", "remember", d], "");
        assert!(!ok && err.contains("no OS keyring is available") && err.contains("passphrase alone works"), "{err}");
        let why = if service.is_some() { "no Secret Service" } else { "no D-Bus session" };
        assert!(err.contains(why), "{err}");
        let (ok, out, err) = run_on(&unlocked, service, &[], &reveal, "");
        assert!(ok && out.contains("Quentin Oxleybridge"), "{err}");
        let (ok, _, err) = run_on(&locked, service, &[], &reveal, "");
        assert!(!ok && err.contains("locked") && !err.contains("keyring"), "{err}");
    }
    let log = run_on(&locked, None, &[], &["audit", "log", "--json"], "").1;
    assert!(!log.contains("vault.remember"), "nothing was remembered: {log}");
}

/// A name no other test uses: on PostgreSQL a login is the whole server's.
fn unique(base: &str) -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(1);
    format!("{base}{}x{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed))
}

/// Runs factdesk as `person` (on SQLite the reviewer `USER`, on a team store
/// their login) with the passphrase files given: (success, stdout, stderr).
fn as_person(db: &Path, person: &str, args: &[&str], files: &[(&str, &Path)]) -> (bool, String, String) {
    let target = if engine::on_postgres() {
        let (url, _) = test_postgres::database_for(db);
        test_postgres::url_as_login(&url, person).into()
    } else {
        db.as_os_str().to_owned()
    };
    let mut command = Command::new(env!("CARGO_BIN_EXE_factdesk"));
    command
        .env_remove("FACTDESK_DB")
        .env_remove("FACTDESK_PASSPHRASE_FILE")
        .env_remove("FACTDESK_NEW_PASSPHRASE_FILE")
        .env("USER", person)
        .env("FACTDESK_PASSWORD_FILE", db.with_file_name("password"))
        .arg("--db")
        .arg(target)
        .args(args)
        .stdin(Stdio::null());
    for (variable, file) in files {
        command.env(variable, file);
    }
    engine::outcome(&command.output().expect("run factdesk"))
}

#[test]
fn on_a_desk_with_people_vault_grant_wraps_the_key_for_one_person_under_their_own_passphrase() {
    let tmp = tempfile::tempdir().expect("tmp");
    let desk = desk_holding(tmp.path(), "# A draft\n\nA diplomat said so.\n");
    let d = desk.as_str();
    let db = tmp.path().join("f.db");
    std::fs::write(tmp.path().join("password"), "Tr0ub4dor&3\n").expect("password");
    let file = |name: &str, text: &str| {
        let path = tmp.path().join(name);
        std::fs::write(&path, text).expect("write");
        path
    };
    let (sues, kims, chosen) = (
        file("sue", "the standards editor's passphrase\n"),
        file("kim", "kim's own passphrase\n"),
        file("chosen", "what kim chose afterwards\n"),
    );
    let admin = engine::LOGIN;
    drop(engine::db(&db));
    let (sue, kim) = (unique("sue"), unique("kim"));
    let ok = |person: &str, args: &[&str], files: &[(&str, &Path)]| {
        let (ok, out, err) = as_person(&db, person, args, files);
        assert!(ok, "factdesk {args:?} as {person} failed: {err}");
        out
    };
    let refused = |person: &str, args: &[&str], files: &[(&str, &Path)]| {
        let (ok, out, err) = as_person(&db, person, args, files);
        assert!(!ok, "factdesk {args:?} as {person} should have been refused: {out}");
        err
    };
    ok(admin, &["people", "add", d, admin, "--role", "admin"], &[]);
    ok(admin, &["people", "add", d, &sue, "--role", "standards-editor"], &[]);
    ok(admin, &["people", "add", d, &kim, "--role", "standards-editor"], &[]);
    ok(&sue, &["vault", "init", d], &[("FACTDESK_PASSPHRASE_FILE", &sues)]);
    let passwd = |passphrase: &Path, new: &Path| {
        [("FACTDESK_PASSPHRASE_FILE", passphrase), ("FACTDESK_NEW_PASSPHRASE_FILE", new)]
            .map(|(v, p)| (v, p.to_owned()))
    };
    let run_passwd = |person: &str, passphrase: &Path, new: &Path| {
        let files = passwd(passphrase, new);
        let files: Vec<(&str, &Path)> = files.iter().map(|(v, p)| (*v, p.as_path())).collect();
        as_person(&db, person, &["vault", "passwd", d], &files)
    };

    // Kim is a standards editor, but the key is not wrapped for her: refused, naming what it needs,
    // even with the standards editor's passphrase.
    let (ok_kim, _, err) = run_passwd(&kim, &sues, &kims);
    assert!(!ok_kim, "kim unlocked without a wrapping");
    assert!(
        err.contains("holds no wrapping of this desk's key") && err.contains("needs the standards editor role"),
        "{err}"
    );
    assert!(err.contains(&format!("factdesk vault grant DESK {kim}")), "{err}");

    // Sue grants it, with the passphrase kim typed (from the file here), never on argv.
    let out = ok(
        &sue,
        &["vault", "grant", d, &kim],
        &[("FACTDESK_PASSPHRASE_FILE", &sues), ("FACTDESK_NEW_PASSPHRASE_FILE", &kims)],
    );
    assert!(out.contains(&format!("wrapped for {kim}")), "{out}");
    // Kim opens it with her own passphrase only.
    let (ok_kim, _, err) = run_passwd(&kim, &sues, &chosen);
    assert!(!ok_kim && err.contains("wrong passphrase"), "{err}");
    let (ok_kim, _, err) = run_passwd(&kim, &kims, &chosen);
    assert!(ok_kim, "{err}");

    // A reporter is never granted; an admin takes a wrapping back; a role change takes it away.
    let bo = unique("bo");
    ok(admin, &["people", "add", d, &bo, "--role", "reporter"], &[]);
    let err = refused(
        &sue,
        &["vault", "grant", d, &bo],
        &[("FACTDESK_PASSPHRASE_FILE", &sues), ("FACTDESK_NEW_PASSPHRASE_FILE", &kims)],
    );
    assert!(err.contains("(reporter) may not unlock the vault"), "{err}");
    let out = ok(admin, &["vault", "revoke", d, &kim], &[]);
    assert!(out.contains(&format!("{kim} no longer unlocks the vault")), "{out}");
    let err = refused(
        &kim,
        &["vault", "passwd", d],
        &[("FACTDESK_PASSPHRASE_FILE", &chosen), ("FACTDESK_NEW_PASSPHRASE_FILE", &kims)],
    );
    assert!(err.contains("holds no wrapping"), "{err}");
    ok(
        &sue,
        &["vault", "grant", d, &kim],
        &[("FACTDESK_PASSPHRASE_FILE", &sues), ("FACTDESK_NEW_PASSPHRASE_FILE", &kims)],
    );
    // A holder takes it back too, showing they hold the key with their passphrase.
    let out = ok(&sue, &["vault", "revoke", d, &kim], &[("FACTDESK_PASSPHRASE_FILE", &sues)]);
    assert!(out.contains("no longer unlocks the vault"), "{out}");
    ok(
        &sue,
        &["vault", "grant", d, &kim],
        &[("FACTDESK_PASSPHRASE_FILE", &sues), ("FACTDESK_NEW_PASSPHRASE_FILE", &kims)],
    );
    ok(admin, &["people", "add", d, &kim, "--role", "lawyer"], &[]);
    ok(admin, &["people", "add", d, &kim, "--role", "standards-editor"], &[]);
    let err = refused(
        &kim,
        &["vault", "passwd", d],
        &[("FACTDESK_PASSPHRASE_FILE", &kims), ("FACTDESK_NEW_PASSPHRASE_FILE", &chosen)],
    );
    assert!(err.contains("holds no wrapping"), "{err}");
    // No one's passphrase is on argv: the grant takes none there.
    let (granted, _, err) = as_person(&db, &sue, &["vault", "grant", d, &kim, "kim's own passphrase"], &[]);
    assert!(!granted && err.contains("unexpected argument"), "{err}");
}

/// teamtry C5: each refusal on the way to a source's identity names what the person asked for and what would
/// allow it, before any secret is asked: not the unlock of the vault, a step on the way.
#[test]
fn vault_refusals_name_what_was_tried_and_what_would_allow_it() {
    let tmp = tempfile::tempdir().expect("tmp");
    let desk = tmp.path().join("desk");
    std::fs::create_dir(&desk).expect("desk");
    std::fs::write(desk.join("a.md"), "# A draft\n\nA diplomat said so.\n").expect("draft");
    let d = desk.to_str().expect("utf-8");
    let db = tmp.path().join("f.db");
    std::fs::write(tmp.path().join("password"), "Tr0ub4dor&3\n").expect("password");
    let sues = tmp.path().join("sue");
    std::fs::write(&sues, "the standards editor's passphrase\n").expect("passphrase");
    let admin = engine::LOGIN;
    drop(engine::db(&db));
    let (sue, bo, lou) = (unique("sue"), unique("bo"), unique("lou"));
    let ok = |person: &str, args: &[&str], files: &[(&str, &Path)]| {
        let (ok, out, err) = as_person(&db, person, args, files);
        assert!(ok, "factdesk {args:?} as {person} failed: {err}");
        out
    };
    ok(admin, &["people", "add", d, admin, "--role", "admin"], &[]);
    ok(admin, &["people", "add", d, &sue, "--role", "standards-editor"], &[]);
    ok(admin, &["people", "add", d, &bo, "--role", "reporter"], &[]);
    ok(admin, &["people", "add", d, &lou, "--role", "lawyer"], &[]);
    ok(&sue, &["vault", "init", d], &[("FACTDESK_PASSPHRASE_FILE", &sues)]);
    let source = ok(&sue, &["source", "add", d, "--descriptor", "a council official", "--kind", "unnamed"], &[]);
    let source = source.trim();
    let refused = |person: &str, args: &[&str], files: &[(&str, &Path)]| {
        let (ok, out, err) = as_person(&db, person, args, files);
        assert!(!ok, "factdesk {args:?} as {person} should have been refused: {out}");
        assert!(!err.contains("unlock the vault") && !err.contains("passphrase"), "{args:?} as {person}: {err}");
        err
    };
    // With the passphrase at hand or not: the role is what is refused, and no passphrase is asked for.
    for passphrase in [&[("FACTDESK_PASSPHRASE_FILE", sues.as_path())][..], &[]] {
        for (person, role) in [(&bo, "reporter"), (&lou, "lawyer"), (&admin.to_owned(), "admin")] {
            let err = refused(person, &["source", "show", source, "--reveal"], passphrase);
            assert!(
                err.contains(&format!(
                    "{person} ({role}) may not reveal or record a source's identity here: it needs the standards \
                     editor role, or to be the editor named as knowing the source"
                )),
                "{err}"
            );
        }
        let err = refused(&lou, &["export", d, "--format", "md", "--profile", "internal"], passphrase);
        assert!(
            err.contains(&format!(
                "{lou} (lawyer) may not export the internal report (it holds the sources' identities) here: it needs \
                 the standards editor role, or to be the editor named as knowing its sources"
            )),
            "{err}"
        );
        let err = refused(&lou, &["vault", "init", d], passphrase);
        assert!(
            err.contains(&format!(
                "{lou} (lawyer) may not set up the vault here: it needs the standards editor or editor role"
            )),
            "{err}"
        );
    }
}
