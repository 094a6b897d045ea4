//! The app's session: the store and the desk that is open, with its watch.

use crate::commands::{CommandError, DeskChanged, DeskView, ScanProgressed};
use crate::export::{ExportRequest, ExportScope, ReportJob};
use factdesk_core::clock::SystemClock;
use factdesk_core::desk::{Desk, DeskEvent, DeskWatch, WatchPreference};
use factdesk_core::report::Scope;
use factdesk_core::review::Review;
use factdesk_core::store::{lock, DeskId, DraftId, SharedStore, Store};
use factdesk_core::vault::UnlockedKeys;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use tauri::AppHandle;
use tauri_specta::Event;

const LAST_DESK: &str = "last_desk";

/// What the app was started with: `factdesk-desktop [--db PATH] [FOLDER]`.
#[derive(Debug, Default, Clone)]
pub struct Launch {
    pub folder: Option<PathBuf>,
    pub db: Option<PathBuf>,
}

impl Launch {
    pub fn from_args(mut args: impl Iterator<Item = String>) -> Self {
        let mut launch = Self::default();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--db" => launch.db = args.next().map(PathBuf::from),
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

/// Managed Tauri state: one per app.
pub struct Session {
    app: AppHandle,
    store: Result<SharedStore, CommandError>,
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
        let db = launch.db.clone().unwrap_or_else(Store::default_path);
        let store = Store::open(&db).map(Store::shared).map_err(CommandError::from);
        if store.is_ok() {
            // A rotating online backup once a day while the window is open.
            factdesk_core::backup::spawn_daily(db.clone(), |problem| eprintln!("factdesk: {problem}"));
        }
        let upgrade_notice =
            store.as_ref().ok().and_then(|s| lock(s).upgrade().map(|u| format!("Factdesk was updated: {u}.")));
        let session = Self {
            app,
            store,
            open: Mutex::new(None),
            start_error: Mutex::new(None),
            upgrade_notice: Mutex::new(upgrade_notice),
            keys: UnlockedKeys::default(),
        };
        let remembered = session.store.as_ref().ok().and_then(|s| lock(s).setting(LAST_DESK).ok().flatten());
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
        self.store.clone()
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
