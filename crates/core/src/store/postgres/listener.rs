//! Another process's commits on a team store, pushed as they happen: a
//! connection of its own LISTENs on the channel every write notifies
//! (`migrations/postgres/0006_notify.sql`), so an open window learns of a
//! colleague's change at once instead of asking the server twice a second.
//!
//! The connection is made again when it is lost (a server restart, a network
//! that dropped), after a growing pause (up to [`RECONNECT_MAX`]); each time
//! it is listening again the listener wakes its owner once, since what was
//! committed meanwhile was told to no one. While it is not listening,
//! [`StoreListener::listening`] is false and the owner asks the server
//! itself, as it would without a listener.

use super::{open_client, PgLocation};
use postgres::fallible_iterator::FallibleIterator;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The channel the write trigger notifies.
const CHANNEL_LISTEN: &str = "LISTEN factdesk_store";
/// How often the listening thread looks whether it should stop.
const STOP_CHECK: Duration = Duration::from_millis(200);
/// How long a silent connection may go unchecked, and how long the check may take:
/// a network that dropped without closing the connection is noticed this way.
const ALIVE_CHECK: Duration = Duration::from_secs(5);
/// The longest pause between two attempts to connect again.
const RECONNECT_MAX: Duration = Duration::from_secs(5);

/// A running listener; dropping it stops listening and closes its connection.
pub struct StoreListener {
    stop: Arc<AtomicBool>,
    listening: Arc<AtomicBool>,
    told: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl StoreListener {
    /// Listens on the team store at `location` (its own connection) and
    /// calls `wake` after each commit by a server process other than
    /// `own_backend` (this process's connection, whose writes it told when it
    /// made them), and once each time it starts listening (again).
    pub fn start(location: PgLocation, own_backend: i32, wake: impl Fn() + Send + 'static) -> std::io::Result<Self> {
        let stop = Arc::new(AtomicBool::new(false));
        let listening = Arc::new(AtomicBool::new(false));
        let told = Arc::new(AtomicBool::new(false));
        let thread = {
            let (stop, listening, told) = (stop.clone(), listening.clone(), told.clone());
            let wake = move || {
                told.store(true, Ordering::SeqCst);
                wake();
            };
            std::thread::Builder::new()
                .name("factdesk-store-listener".into())
                .spawn(move || listen(&location, own_backend, &wake, &stop, &listening))?
        };
        Ok(Self { stop, listening, told, thread: Some(thread) })
    }

    /// Whether it is listening now: while it is, a commit by another process
    /// is told without asking the server.
    pub fn listening(&self) -> bool {
        self.listening.load(Ordering::SeqCst)
    }

    /// Whether it woke its owner since the last call (and forgets it).
    pub fn take_wake(&self) -> bool {
        self.told.swap(false, Ordering::SeqCst)
    }
}

impl Drop for StoreListener {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            // A listener that panicked has nothing left to close.
            let _ = thread.join();
        }
    }
}

fn listen(location: &PgLocation, own_backend: i32, wake: &dyn Fn(), stop: &AtomicBool, listening: &AtomicBool) {
    let mut pause = Duration::from_millis(250);
    while !stop.load(Ordering::SeqCst) {
        if let Ok((mut client, _)) = open_client(location, "factdesk-listener") {
            if client.batch_execute(CHANNEL_LISTEN).is_ok() {
                listening.store(true, Ordering::SeqCst);
                pause = Duration::from_millis(250);
                // Commits made while nothing listened were told to no one.
                wake();
                let mut quiet = Duration::ZERO;
                while !stop.load(Ordering::SeqCst) {
                    let asked = Instant::now();
                    // A fresh wait each time: a wait that timed out once answers "nothing" at once afterwards.
                    let next = client.notifications().timeout_iter(STOP_CHECK).next();
                    match next {
                        Ok(Some(notification)) => {
                            quiet = Duration::ZERO;
                            if notification.process_id() != own_backend {
                                wake();
                            }
                        }
                        Ok(None) => {
                            // Nothing came: the wait timed out, or the connection ended (which answers
                            // at once). A quick answer, or a long silence, is checked with a round trip.
                            quiet += asked.elapsed();
                            if asked.elapsed() < STOP_CHECK / 2 || quiet >= ALIVE_CHECK {
                                quiet = Duration::ZERO;
                                if client.is_closed() || client.is_valid(ALIVE_CHECK).is_err() {
                                    break;
                                }
                            }
                        }
                        // The connection is gone: make it again.
                        Err(_) => break,
                    }
                }
                listening.store(false, Ordering::SeqCst);
            }
        }
        // Not too eager: a server that is down is asked again after a growing pause.
        let mut slept = Duration::ZERO;
        while slept < pause && !stop.load(Ordering::SeqCst) {
            std::thread::sleep(STOP_CHECK);
            slept += STOP_CHECK;
        }
        pause = (pause * 2).min(RECONNECT_MAX);
    }
}
