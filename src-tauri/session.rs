//! The app's session: the store and the desk that is open, with its watch.

use crate::commands::{CommandError, DeskChanged, DeskView, ScanProgressed};
use crate::export::{ExportRequest, ExportScope, ReportJob};
use factdesk_core::clock::SystemClock;
use factdesk_core::desk::{Desk, DeskEvent, DeskWatch, WatchPreference};
use factdesk_core::report::Scope;
use factdesk_core::review::Review;
use factdesk_core::store::{lock, DeskId, DraftId, SharedStore};
use factdesk_core::store_choice::{AppSettings, StoreChoice, StoreChoiceError};
use factdesk_core::vault::UnlockedKeys;
use serde::{Deserialize, Serialize};
use specta::Type;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use tauri::AppHandle;
use tauri_specta::Event;

const LAST_DESK: &str = "last_desk";

/// What the app was started with: `factdesk-desktop [--db PATH] [FOLDER]`.
#[derive(Debug, Default, Clone)]
pub struct Launch {
    pub folder: Option<PathBuf>,
    /// A file's path or a team store's `postgres://` URL.
    pub db: Option<String>,
}

impl Launch {
    pub fn from_args(mut args: impl Iterator<Item = String>) -> Self {
        let mut launch = Self::default();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--db" => launch.db = args.next(),
                flag if flag.starts_with('-') => {}
                folder => launch.folder = Some(PathBuf::from(folder)),
            }
        }
        launch
    }
}

struct OpenDesk {
    desk: Desk,
    watch: Option<DeskWatch>,
}

/// Which store the window works on, as its header and the team store dialog show it.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct StoreView {
    /// A team store on PostgreSQL (else this computer's file).
    pub team: bool,
    /// "Team store · newsdesk on db.example", or "This computer · PATH".
    pub label: String,
    /// The team store's URL, without a password.
    pub url: Option<String>,
    /// Whether it opened: a remembered team store may be unreachable at start.
    pub connected: bool,
    /// Whether the team store's connection is encrypted (TLS, the server's
    /// certificate verified); false for this computer's file (nothing
    /// travels) and while not connected.
    pub encrypted: bool,
}

/// Managed Tauri state: one per app.
pub struct Session {
    app: AppHandle,
    /// Replaced whole when the reviewer switches stores (Settings → Team store…).
    store: RwLock<Result<SharedStore, CommandError>>,
    /// The store chosen (opened or not), for the header.
    choice: Mutex<StoreChoice>,
    /// The file *Use this computer's file* goes back to.
    this_computers_file: PathBuf,
    /// Where the choice is remembered; `None` without a config folder.
    settings_file: Option<PathBuf>,
    /// Whether the daily backup of this computer's file runs.
    backups_started: AtomicBool,
    open: Mutex<Option<OpenDesk>>,
    /// Why the desk from the last start could not be reopened, told once.
    start_error: Mutex<Option<CommandError>>,
    /// That this start upgraded an older database (and where its backup is), told once.
    upgrade_notice: Mutex<Option<String>>,
    /// The vault keys unlocked in this window: in memory only, dropped when
    /// locked, idle or the window closes.
    keys: UnlockedKeys,
}

impl Session {
    /// Opens the store and, without scanning yet, the desk to start on: the
    /// folder given on the command line, else the last desk, else
    /// `FACTDESK_DEFAULT_DESK` (how `make run` opens the sample drafts).
    pub fn new(app: AppHandle, launch: &Launch) -> Self {
        let settings_file = AppSettings::default_path();
        let this_computers_file = StoreChoice::this_computers_file(launch.db.as_deref());
        // A settings file that cannot be read is said, and this computer's file used meanwhile.
        let (settings, settings_error) = match settings_file.as_deref().map(AppSettings::load).transpose() {
            Ok(settings) => (settings.unwrap_or_default(), None),
            Err(error) => (AppSettings::default(), Some(CommandError::from(error))),
        };
        let (choice, store) = match StoreChoice::at_start(launch.db.as_deref(), &settings) {
            Ok(choice) => {
                let store = choice.open().map(factdesk_core::store::Store::shared).map_err(CommandError::from);
                (choice, store)
            }
            Err(error) => (StoreChoice::File(this_computers_file.clone()), Err(CommandError::from(error))),
        };
        let upgrade_notice =
            store.as_ref().ok().and_then(|s| lock(s).upgrade().map(|u| format!("Factdesk was updated: {u}.")));
        let session = Self {
            app,
            store: RwLock::new(store),
            choice: Mutex::new(choice),
            this_computers_file,
            settings_file,
            backups_started: AtomicBool::new(false),
            open: Mutex::new(None),
            start_error: Mutex::new(None),
            upgrade_notice: Mutex::new(upgrade_notice),
            keys: UnlockedKeys::default(),
        };
        session.start_backups_of_the_file();
        if let Some(error) = settings_error {
            *guard(&session.start_error) = Some(error);
        }
        let remembered = session.store().ok().and_then(|s| lock(&s).setting(LAST_DESK).ok().flatten());
        let folder = launch
            .folder
            .clone()
            .or_else(|| remembered.map(PathBuf::from))
            .or_else(|| std::env::var_os("FACTDESK_DEFAULT_DESK").map(PathBuf::from));
        if let Some(folder) = folder {
            match session.register(&folder) {
                Ok(_) => {}
                Err(error) => *guard(&session.start_error) = Some(error),
            }
        }
        session
    }

    pub fn store(&self) -> Result<SharedStore, CommandError> {
        self.store.read().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }

    /// A rotating online backup of this computer's file once a day while the
    /// window is open (a team store is backed up on its server).
    fn start_backups_of_the_file(&self) {
        let StoreChoice::File(db) = guard(&self.choice).clone() else { return };
        if self.store().is_ok() && !self.backups_started.swap(true, Ordering::SeqCst) {
            factdesk_core::backup::spawn_daily(db, |problem| eprintln!("factdesk: {problem}"));
        }
    }

    /// The store in use, for the header and the team store dialog.
    pub fn store_view(&self) -> StoreView {
        let choice = guard(&self.choice);
        let store = self.store();
        StoreView {
            team: matches!(*choice, StoreChoice::Team(_)),
            label: choice.label(),
            url: choice.team_url(),
            connected: store.is_ok(),
            encrypted: store.is_ok_and(|store| factdesk_core::store::lock(&store).team_encrypted() == Some(true)),
        }
    }

    /// Switches to the team store at `url` (with the password typed in the
    /// dialog, if any, kept in memory only).
    pub fn use_team_store(&self, url: &str, password: Option<&str>) -> Result<StoreView, CommandError> {
        let location: factdesk_core::store::postgres::PgLocation = url.trim().parse()?;
        let location = match password.filter(|p| !p.is_empty()) {
            Some(password) => location.with_password(password),
            None => location,
        };
        self.use_store(StoreChoice::Team(Box::new(location)))
    }

    /// Goes back to this computer's file.
    pub fn use_this_computers_file(&self) -> Result<StoreView, CommandError> {
        self.use_store(StoreChoice::File(self.this_computers_file.clone()))
    }

    /// Opens `choice`, remembers it, and only then puts it in use: a store
    /// that cannot be opened, or a choice that cannot be remembered, leaves
    /// the previous store in use and says why. The open desk is closed (its
    /// watch was on the previous store) and its vault keys dropped; the
    /// window opens the folder again on the new store.
    fn use_store(&self, choice: StoreChoice) -> Result<StoreView, CommandError> {
        let store = choice.open()?.shared();
        let settings_file = self.settings_file.as_deref().ok_or(StoreChoiceError::NoSettingsFolder)?;
        AppSettings::remember(settings_file, &choice)?;
        *guard(&self.open) = None;
        self.keys.lock_all();
        *self.store.write().unwrap_or_else(std::sync::PoisonError::into_inner) = Ok(store);
        *guard(&self.choice) = choice;
        self.start_backups_of_the_file();
        Ok(self.store_view())
    }

    fn register(&self, folder: &Path) -> Result<Desk, CommandError> {
        let desk = Desk::open(self.store()?, folder, Arc::new(SystemClock))?;
        // Replacing the open desk drops the previous desk's watch.
        *guard(&self.open) = Some(OpenDesk { desk: desk.clone(), watch: None });
        Ok(desk)
    }

    /// Scans and starts watching the desk registered at start-up.
    pub fn start_initial_desk(&self) {
        let desk = guard(&self.open).as_ref().map(|open| open.desk.clone());
        if let Some(desk) = desk {
            if let Err(error) = self.scan_and_watch(&desk) {
                *guard(&self.start_error) = Some(error);
            }
        }
    }

    /// Opens `folder` as the desk: scans it (emitting progress and changes),
    /// then watches it; remembered for the next start.
    pub fn open(&self, folder: &Path) -> Result<DeskView, CommandError> {
        let desk = self.register(folder)?;
        self.scan_and_watch(&desk)?;
        lock(&self.store()?).set_setting(LAST_DESK, &desk.root().to_string_lossy()).map_err(CommandError::from)?;
        self.current().map(|view| view.unwrap_or_else(|| DeskView::of(&desk, None)))
    }

    fn scan_and_watch(&self, desk: &Desk) -> Result<(), CommandError> {
        // Watch first, then scan: a save made while a large folder is being
        // scanned is seen too (both paths check the disk, so overlap is harmless).
        let app = self.app.clone();
        let watch = desk.watch(WatchPreference::from_env(), move |e| {
            let _ = DeskChanged(e).emit(&app);
        })?;
        if let Some(open) = guard(&self.open).as_mut().filter(|open| open.desk.id() == desk.id()) {
            open.watch = Some(watch);
        }
        let app = self.app.clone();
        let mut progress = |p| {
            let _ = ScanProgressed(p).emit(&app);
        };
        let mut changes = |e| {
            let _ = DeskChanged(e).emit(&app);
        };
        // Files first seen are recorded without their text (a big desk's
        // first opening is then about as quick as hashing its files); the
        // texts are read in the background, the list reloaded as each chunk
        // lands. A draft opened, reviewed or searched meanwhile is read first.
        desk.scan_lazily(&mut progress, &mut changes)?;
        let (desk, app) = (desk.clone(), self.app.clone());
        std::thread::Builder::new()
            .name("factdesk-read-texts".into())
            .spawn(move || read_texts_in_background(&desk, &app))
            .map_err(CommandError::task)?;
        Ok(())
    }

    /// The open desk; an error once if the last desk could not be reopened.
    pub fn current(&self) -> Result<Option<DeskView>, CommandError> {
        if let Some(error) = guard(&self.start_error).take() {
            return Err(error);
        }
        self.store()?;
        let mut view = guard(&self.open).as_ref().map(|open| DeskView::of(&open.desk, open.watch.as_ref()));
        if let Some(view) = view.as_mut() {
            if let Some(upgrade) = guard(&self.upgrade_notice).take() {
                view.notice = Some(match view.notice.take() {
                    Some(watch) => format!("{upgrade} {watch}"),
                    None => upgrade,
                });
            }
        }
        Ok(view)
    }

    /// The reviewer's actions, bound to the store and the reviewer's name.
    pub fn review(&self) -> Result<Review, CommandError> {
        let store = self.store()?;
        let reviewer = Review::reviewer_name(&lock(&store));
        Ok(Review::new(store, Arc::new(SystemClock), reviewer).with_unlocked_keys(self.keys.clone()))
    }

    /// Locks every vault unused for the idle time; returns the desks locked.
    pub fn lock_idle_vaults(&self) -> Vec<DeskId> {
        let Ok(store) = self.store() else { return Vec::new() };
        let idle = factdesk_core::vault::idle_timeout(&lock(&store));
        self.keys.lock_idle(factdesk_core::clock::Clock::now(&SystemClock), idle)
    }

    /// Locks every vault (the window is closing).
    pub fn lock_all_vaults(&self) -> Vec<DeskId> {
        self.keys.lock_all()
    }

    /// Refuses a draft that is not on the open desk: the window works on one desk.
    pub fn check_draft(&self, draft: DraftId) -> Result<(), CommandError> {
        match self.desk()?.draft(draft)? {
            Some(_) => Ok(()),
            None => Err(CommandError::not_found(draft)),
        }
    }

    /// A report of the open draft or desk, checked against the open desk.
    pub fn report_job(&self, request: ExportRequest) -> Result<ReportJob, CommandError> {
        let scope = match request.scope {
            ExportScope::Draft { draft } => {
                self.check_draft(draft)?;
                Scope::Draft(draft)
            }
            ExportScope::Desk => {
                let desk = self.desk()?;
                desk.read_all_texts()?;
                Scope::Desk(desk.id())
            }
        };
        Ok(ReportJob { store: self.store()?, review: self.review()?, scope, request })
    }

    /// The open desk, or an error saying there is none.
    pub fn desk(&self) -> Result<Desk, CommandError> {
        guard(&self.open).as_ref().map(|open| open.desk.clone()).ok_or_else(CommandError::no_desk)
    }
}

fn guard<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Reads the texts a lazy scan left unread, a chunk at a time, telling the
/// window to reload its list after each (titles and word counts change).
fn read_texts_in_background(desk: &Desk, app: &tauri::AppHandle) {
    let unread = match desk.unread_drafts() {
        Ok(unread) => unread,
        Err(error) => return eprintln!("factdesk: listing the drafts to read: {error}"),
    };
    for chunk in unread.chunks(BACKGROUND_READ_CHUNK) {
        match desk.read_text(chunk) {
            Ok(read) if read.is_empty() => {}
            Ok(read) => {
                let _ = DeskChanged(DeskEvent::Many { count: u32::try_from(read.len()).unwrap_or(u32::MAX) }).emit(app);
            }
            Err(error) => {
                let _ = DeskChanged(DeskEvent::Problem { path: None, message: error.to_string() }).emit(app);
                return;
            }
        }
    }
}

/// Drafts read between two reloads of the window's list.
const BACKGROUND_READ_CHUNK: usize = 1024;
